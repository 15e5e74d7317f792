using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("Restore")]
[TaskDescription("abra app restore of this run's own snapshot, then wait until the app answers again")]
[IsDependentOn(typeof(MutateTask))]
public sealed class RestoreTask : BackupStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => BackupRound.RestoreAsync(run, stage);
}
