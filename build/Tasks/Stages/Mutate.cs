using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("Mutate")]
[TaskDescription("Remove the marker and write a second one after the backup")]
[IsDependentOn(typeof(BackupTask))]
public sealed class MutateTask : BackupStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => BackupRound.MutateAsync(run, stage);
}
