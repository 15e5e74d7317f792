using RecipeCi.Checks;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The recipe's own checks from tests/<recipe>/ (checks.yaml and executables) that run at the end (the default), one JUnit testcase each")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[IsDependentOn(typeof(ColdInstallHeadTask))]
[IsDependentOn(typeof(ReinstallHeadTask))]
[Rung(Rung.Custom)]
public sealed class CustomChecksTask : CustomChecksStage
{
    protected override ResultSlot<CheckResults> Output => ResultSlots.ChecksAtEnd;
    protected override CheckMoment Moment => CheckMoment.End;
}
