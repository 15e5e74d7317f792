using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Custom")]
[TaskDescription("Install the head, then run the recipe's own checks from tests/<recipe>/; then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(CustomChecksTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class CustomTarget : FrostingTask;
