using RecipeCi.Checks;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The recipe's own checks with 'after: install', once the first deploy answers (only when it has some)")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[Rung(Rung.Custom)]
public sealed class CustomChecksAfterInstallTask : CustomChecksStage
{
    protected override ResultSlot<CheckResults> Output => ResultSlots.ChecksAfterInstall;
    protected override CheckMoment Moment => CheckMoment.Install;
}
