using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Lint;

namespace RecipeCi.Tasks.Stages;

[TaskName("LintRecipe")]
[TaskDescription("Lint a pristine clone of the recipe at the tested ref (Recipe CI's rules, and abra recipe lint when abra is on PATH); verdict-neutral: counts for the lint rung only")]
[IsDependentOn(typeof(FetchRecipeTask))]
public sealed class LintRecipeTask : StageTask
{
    protected override bool VerdictNeutral => true;

    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => RecipeLintStage.RunAsync(run, stage, ct);
}
