using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Lint")]
[TaskDescription("Lint a recipe at the tested ref without deploying it: FetchRecipe, LintRecipe, then Teardown; an error finding makes the verdict failed (exit 1), warnings pass. Inside Recipe, lint costs the lint rung only")]
[ReadsOptions(RunOptions.RecipeOnlyOptions)]
[IsDependentOn(typeof(LintRecipeTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Lint)]
public sealed class LintTarget : FrostingTask;
