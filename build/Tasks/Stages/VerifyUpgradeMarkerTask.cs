using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Upgrade rung: the marker written on the base is still there once the head converged and answers")]
[IsDependentOn(typeof(HeadIdentityCheckTask))]
[Rung(Rung.Upgrade)]
public sealed class VerifyUpgradeMarkerTask : PlannedStageTask<UpgradeMarker, UpgradeMarkerKept>
{
    protected override ResultSlot<UpgradeMarker> Needs => ResultSlots.UpgradeMarker;
    protected override ResultSlot<UpgradeMarkerKept> Output => ResultSlots.UpgradeMarkerKept;

    protected override async Task<UpgradeMarkerKept?> RunStageAsync(RunParts run, RunPlan plan, UpgradeMarker marker, StageRecorder stage, CancellationToken ct) =>
        await run.Continuity.VerifyAsync(plan, marker, stage, ct);
}
