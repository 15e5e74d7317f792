using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Custom")]
[TaskDescription("Install the head, then run the recipe's own checks from tests/<recipe>/ (those with after: install once it answers, the rest at the end); then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(CustomChecksAfterInstallTask))]
[IsDependentOn(typeof(CustomChecksTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Install, Rung.Custom)]
public sealed class CustomTarget : FrostingTask;
