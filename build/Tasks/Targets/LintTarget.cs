using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Lint")]
[TaskDescription("Lint a recipe at the tested ref without deploying it: FetchRecipe, LintRecipe, then Teardown")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(LintRecipeTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class LintTarget : FrostingTask;
