using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("VerifyMarker")]
[TaskDescription("The marker from before the backup is back and the one from after it is gone")]
[IsDependentOn(typeof(RestoreTask))]
public sealed class VerifyMarkerTask : BackupStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => BackupRound.VerifyAsync(run, stage);
}
