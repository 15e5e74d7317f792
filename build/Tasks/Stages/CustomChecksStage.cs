using RecipeCi.Checks;
using RecipeCi.Context;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Results;

namespace RecipeCi.Tasks.Stages;

/// <summary>
/// The custom checks of one moment (<c>after:</c> in checks.yaml). They only ask the app, so a
/// failed check does not stop the stages after it. An earlier moment with no check of its own is
/// left out of the run's records altogether; the end always reports (a gap when there are no checks).
/// </summary>
public abstract class CustomChecksStage : PlannedStageTask<CheckResults>
{
    protected abstract CheckMoment Moment { get; }

    protected override bool OnlyObserves => true;

    public override bool ShouldRun(RecipeContext context) =>
        (Moment == CheckMoment.End || context.RequireRun().CustomChecks.AnyAt(Moment)) && base.ShouldRun(context);

    protected override Task<CheckResults?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        run.CustomChecks.RunAsync(plan, stage, Moment, ct);
}
