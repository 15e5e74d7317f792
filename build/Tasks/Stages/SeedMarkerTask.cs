using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Backup rung: seed a marker in the app's data (skipped when no service has backupbot.backup=true)")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[IsDependentOn(typeof(ColdInstallHeadTask))]
[Rung(Rung.BackupRestore)]
public sealed class SeedMarkerTask : PlannedStageTask<SeededMarker>
{
    protected override ResultSlot<SeededMarker> Output => ResultSlots.Marker;

    protected override Task<SeededMarker?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        run.Backup.SeedAsync(plan, stage, ct);
}
