using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Remove the marker and write a second one after the backup")]
[IsDependentOn(typeof(BackupTask))]
[Rung(Rung.BackupRestore)]
public sealed class MutateTask : PlannedStageTask<SeededMarker, MutatedMarker>
{
    protected override ResultSlot<SeededMarker> Needs => ResultSlots.Marker;
    protected override ResultSlot<MutatedMarker> Output => ResultSlots.Mutation;

    protected override async Task<MutatedMarker?> RunStageAsync(RunParts run, RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct) =>
        await run.Backup.MutateAsync(plan, marker, stage, ct);
}
