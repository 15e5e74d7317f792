using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("Backup")]
[TaskDescription("abra app backup create; an empty backup, or one whose verify probe keeps failing, fails")]
[IsDependentOn(typeof(SeedMarkerTask))]
public sealed class BackupTask : BackupStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => BackupRound.BackupAsync(run, stage);
}
