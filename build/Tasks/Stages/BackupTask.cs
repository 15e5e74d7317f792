using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("abra app backup create; an empty backup, or one whose verify probe keeps failing, fails")]
[IsDependentOn(typeof(SeedMarkerTask))]
[Rung(Rung.BackupRestore)]
public sealed class BackupTask : PlannedStageTask<SeededMarker, UsableBackup>
{
    protected override ResultSlot<SeededMarker> Needs => ResultSlots.Marker;
    protected override ResultSlot<UsableBackup> Output => ResultSlots.Backup;

    protected override async Task<UsableBackup?> RunStageAsync(RunParts run, RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct) =>
        await run.Backup.BackupAsync(plan, marker, stage, ct);
}
