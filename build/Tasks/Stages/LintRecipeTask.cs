using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Lint;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Lint a pristine clone of the recipe at the tested ref (Recipe CI's rules, and abra recipe lint when abra is on PATH); inside Recipe verdict-neutral (counts for the lint rung only); in the Lint target an error finding fails the run")]
[IsDependentOn(typeof(FetchRecipeTask))]
[Rung(Rung.Lint)]
public sealed class LintRecipeTask : PlannedStageTask<LintReport>
{
    protected override ResultSlot<LintReport> Output => ResultSlots.Lint;

    protected override bool VerdictNeutral => true;

    /// <summary>
    /// Lint reads a pristine clone, never the app: whatever stopped the run, its rung still gets a
    /// result of its own, once the plan is known and the run was not asked to stop.
    /// </summary>
    public override bool ShouldRun(RecipeContext context)
    {
        var run = context.RequireRun();
        return run.Stages.ShouldRun(KindIn(run), always: run.Stages.Results.Plan is not null && !context.Interrupt.Token.IsCancellationRequested);
    }

    protected override async Task<LintReport?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.LintRecipe.RunAsync(plan, stage, ct);
}
