using RecipeCi.Checks;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The recipe's own checks with 'after: restore', once the restored data is verified (only when it has some)")]
[IsDependentOn(typeof(VerifyMarkerTask))]
[Rung(Rung.Custom)]
public sealed class CustomChecksAfterRestoreTask : CustomChecksStage
{
    protected override ResultSlot<CheckResults> Output => ResultSlots.ChecksAfterRestore;
    protected override CheckMoment Moment => CheckMoment.Restore;
}
