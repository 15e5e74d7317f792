using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("SeedMarker")]
[TaskDescription("Backup rung: seed a marker in the app's data (skipped when no service has backupbot.backup=true)")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
public sealed class SeedMarkerTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => BackupRound.SeedAsync(run, stage);
}
