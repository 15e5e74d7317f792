using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks;

/// <summary>
/// A lifecycle stage as a Cake task: runs only while no earlier stage has stopped the run, and
/// records its outcome and evidence through the run's <see cref="StageBook"/>.
/// </summary>
public abstract class StageTask : AsyncFrostingTask<RecipeContext>
{
    private string Name => CakeHost.TaskNameOf(GetType());

    /// <summary>What a failure of this stage means (a base that fails is a broken baseline).</summary>
    protected virtual StageStatus FailureStatus => StageStatus.Failed;

    public override bool ShouldRun(RecipeContext context) => context.RequireRun().Stages.ShouldRun(Name);

    public override Task RunAsync(RecipeContext context)
    {
        var run = context.RequireRun();
        var ct = StageCancellation(run);
        return run.Stages.RunAsync(Name, stage => RunStageAsync(run, stage, ct), FailureStatus, ct);
    }

    /// <summary>What stops the stage: the run's signal and deadline, unless the stage has its own budget.</summary>
    protected virtual CancellationToken StageCancellation(RecipeRun run) => run.Cancellation;

    protected abstract Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage of the upgrade rung: skipped, with the reason, when there is no base to upgrade from.</summary>
public abstract class UpgradeStageTask : StageTask
{
    protected sealed override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct)
    {
        if (run.Base is { Skipped: true } plan)
        {
            stage.Skip($"no upgrade to test: {plan.How}");
            return Task.CompletedTask;
        }
        return RunUpgradeStageAsync(run, stage);
    }

    protected abstract Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage);
}
