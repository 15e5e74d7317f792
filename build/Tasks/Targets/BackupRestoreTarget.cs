using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("BackupRestore")]
[TaskDescription("Install the head, then prove a backup round-trips its data (marker back, later change gone); then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(VerifyMarkerTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Install, Rung.BackupRestore)]
public sealed class BackupRestoreTarget : FrostingTask;
