using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("LintRecipe")]
[TaskDescription("Lint a recipe at the tested ref without deploying it: FetchRecipe, Lint, then Teardown")]
[IsDependentOn(typeof(LintTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class LintRecipeTarget : FrostingTask;
