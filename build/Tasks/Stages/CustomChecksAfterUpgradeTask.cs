using RecipeCi.Checks;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The recipe's own checks with 'after: upgrade', once the head's upgrade is verified, before any backup (only when it has some)")]
[IsDependentOn(typeof(VerifyUpgradeMarkerTask))]
[Rung(Rung.Custom)]
public sealed class CustomChecksAfterUpgradeTask : CustomChecksStage
{
    protected override ResultSlot<CheckResults> Output => ResultSlots.ChecksAfterUpgrade;
    protected override CheckMoment Moment => CheckMoment.Upgrade;
}
