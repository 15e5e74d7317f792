using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Recipe")]
[TaskDescription("The whole lifecycle in one process: install on the base, upgrade to the head (HC1), backup and restore, custom checks, lint of the exact ref; then tear down (--stages picks rungs)")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(AssertHeadDeployedTask))]
[IsDependentOn(typeof(VerifyMarkerTask))]
[IsDependentOn(typeof(CustomChecksTask))]
[IsDependentOn(typeof(LintRecipeTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class RecipeTarget : FrostingTask;
