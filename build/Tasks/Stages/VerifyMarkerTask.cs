using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The marker from before the backup is back and the one from after it is gone")]
[IsDependentOn(typeof(RestoreTask))]
[Rung(Rung.BackupRestore)]
public sealed class VerifyMarkerTask : PlannedStageTask<SeededMarker, VerifiedMarker>
{
    protected override ResultSlot<SeededMarker> Needs => ResultSlots.Marker;
    protected override ResultSlot<VerifiedMarker> Output => ResultSlots.MarkerVerified;

    protected override async Task<VerifiedMarker?> RunStageAsync(RunParts run, RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct) =>
        await run.Backup.VerifyAsync(plan, marker, stage, ct);
}
