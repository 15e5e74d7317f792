using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("BackupRestore")]
[TaskDescription("Install the head, then prove a backup round-trips its data (marker back, later change gone); then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(VerifyMarkerTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class BackupRestoreTarget : FrostingTask;
