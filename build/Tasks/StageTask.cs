using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks;

/// <summary>
/// A lifecycle stage as a Cake task: runs only while no earlier stage has stopped the run, is
/// skipped (with the reason) when the run's plan leaves its rung out, and records its outcome and
/// evidence through the run's <see cref="StageBook"/>.
/// </summary>
public abstract class StageTask : AsyncFrostingTask<RecipeContext>
{
    private string Name => CakeHost.TaskNameOf(GetType());

    /// <summary>What a failure of this stage means for this run.</summary>
    protected virtual StageStatus FailureStatus(RecipeRun run) => StageStatus.Failed;

    /// <summary>A verdict-neutral stage counts for its rung only.</summary>
    protected virtual bool VerdictNeutral => false;

    public override bool ShouldRun(RecipeContext context) => context.RequireRun().Stages.ShouldRun(Name);

    public override Task RunAsync(RecipeContext context)
    {
        var run = context.RequireRun();
        var ct = StageCancellation(run);
        return run.Stages.RunAsync(Name, stage =>
        {
            if (TargetPlan.SkipReason(Name, run.Options.Rungs, run.FirstDeploy, run.Base) is { } reason)
            {
                stage.Skip(reason);
                return Task.CompletedTask;
            }
            return RunStageAsync(run, stage, ct);
        }, FailureStatus(run), ct, VerdictNeutral);
    }

    /// <summary>What stops the stage: the run's signal and deadline, unless the stage has its own budget.</summary>
    protected virtual CancellationToken StageCancellation(RecipeRun run) => run.Cancellation;

    protected abstract Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage of the run's first deploy: a broken baseline when that deploy is the base release.</summary>
public abstract class FirstDeployStageTask : StageTask
{
    protected sealed override StageStatus FailureStatus(RecipeRun run) =>
        run.FirstDeploy == FirstDeploy.Base ? StageStatus.BaselineBroken : StageStatus.Failed;

    protected static DeployPhase Phase(RecipeRun run) => run.FirstDeploy == FirstDeploy.Base ? DeployPhase.Base : DeployPhase.Install;
}

/// <summary>A stage after SeedMarker: skipped for the same reason when the recipe is not backup-capable.</summary>
public abstract class BackupStageTask : StageTask
{
    public override Task RunAsync(RecipeContext context)
    {
        var run = context.RequireRun();
        return run.BackupSkip is { } reason
            ? run.Stages.RunAsync(CakeHost.TaskNameOf(GetType()), stage => { stage.Skip(reason); return Task.CompletedTask; }, StageStatus.Skipped, run.Cancellation)
            : base.RunAsync(context);
    }
}
