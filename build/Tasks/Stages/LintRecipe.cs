using RecipeCi.Lint;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("LintRecipe")]
[TaskDescription("Lint a pristine clone of the recipe at the tested ref (Recipe CI's rules, and abra recipe lint when abra is on PATH); inside Recipe verdict-neutral (counts for the lint rung only); in the Lint target an error finding fails the run")]
[IsDependentOn(typeof(FetchRecipeTask))]
[Rung(Rung.Lint)]
public sealed class LintRecipeTask : PlannedStageTask<LintReport>
{
    protected override bool VerdictNeutral => true;

    protected override async Task<LintReport?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await RecipeLintStage.RunAsync(run, plan, stage, ct);
}
