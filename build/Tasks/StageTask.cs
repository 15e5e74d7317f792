using System.Reflection;
using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks;

/// <summary>
/// A lifecycle stage as a Cake task: runs only while no earlier stage has stopped the run, is
/// skipped (with the reason) when the run's plan leaves its rung out or an input it needs was
/// skipped, and records its outcome and evidence through the run's <see cref="StageBook"/>. What a
/// stage reads and what it produces are its type parameters (see the subclasses): a stage can only
/// see the results it declares, and a test checks that a dependency of it produces each of them.
/// </summary>
public abstract class StageTask : AsyncFrostingTask<RecipeContext>
{
    public string Name => CakeHost.TaskNameOf(GetType());

    /// <summary>The rung this stage counts for, from its <see cref="RungAttribute"/>; none for fetch and teardown.</summary>
    public Rung? CountsFor => GetType().GetCustomAttribute<RungAttribute>()?.Rung;

    private bool WaitsOnSwarm => GetType().GetCustomAttribute<WaitsOnSwarmAttribute>() is not null;

    /// <summary>The results of earlier stages this stage reads.</summary>
    public abstract IReadOnlyList<Type> Reads { get; }

    /// <summary>The result this stage produces for later ones.</summary>
    public abstract Type Produces { get; }

    /// <summary>
    /// A stage of the run's first deploy: its failure is a broken baseline when that deploy is the
    /// base release, since the upgrade under test never started.
    /// </summary>
    protected virtual bool JudgesFirstDeploy => false;

    private StageStatus FailureStatus(RunPlan? plan) =>
        JudgesFirstDeploy && plan?.FirstDeploy == FirstDeploy.Base ? StageStatus.BaselineBroken : StageStatus.Failed;

    /// <summary>A verdict-neutral stage counts for its rung only.</summary>
    protected virtual bool VerdictNeutral => false;

    /// <summary>A stage that only asks the app (custom checks): its failure does not stop the stages after it.</summary>
    protected virtual bool OnlyObserves => false;

    /// <summary>
    /// What the stage is in this run, as its records say it. Neutrality keeps a side rung (lint)
    /// from deciding a run that judges a deployment; a target that covers nothing but the stage's
    /// rung (the Lint target) judges that rung alone, so there the stage's outcome is the verdict
    /// and the exit code, as with any linter.
    /// </summary>
    protected StageKind KindIn(RecipeRun run) =>
        new(Name, CountsFor, VerdictNeutral && !run.Target.CoversOnly(CountsFor), WaitsOnSwarm) { StopsRun = !OnlyObserves };

    public override bool ShouldRun(RecipeContext context)
    {
        var run = context.RequireRun();
        return run.Stages.ShouldRun(KindIn(run));
    }

    public override Task RunAsync(RecipeContext context)
    {
        var run = context.RequireRun();
        var ct = StageCancellation(run);
        var plan = run.Outputs.TryGet<RunPlan>();
        return run.Stages.RunAsync(KindIn(run), async stage =>
        {
            if (SkipReason(run, plan) is { } reason)
            {
                stage.Skip(reason);
                run.Outputs.Skipped(Produces, reason);
                return;
            }
            var produced = await ExecuteAsync(run, stage, ct);
            if (produced is null) run.Outputs.Skipped(Produces, stage.Reason ?? $"{Name} produced nothing");
            else run.Outputs.Put(Produces, produced);
        }, FailureStatus(plan), ct);
    }

    private string? SkipReason(RecipeRun run, RunPlan? plan)
    {
        if (plan is not null && CountsFor is { } rung && TargetPlan.SkipReason(rung, plan.Rungs, plan.FirstDeploy, plan.Base) is { } notPlanned) return notPlanned;
        if (CountsFor is { } declared && run.Entry.NotApplicable.TryGetValue(declared, out var why))
            return $"declared not applicable in recipes.yaml: {why}";
        return Reads.Select(run.Outputs.Missing).FirstOrDefault(why => why is not null);
    }

    /// <summary>What stops the stage: the run's signal and deadline, unless the stage has its own budget.</summary>
    protected virtual CancellationToken StageCancellation(RecipeRun run) => run.Cancellation;

    /// <summary>Runs the stage; its result (null when it skipped itself) is kept for later stages.</summary>
    private protected abstract Task<object?> ExecuteAsync(RecipeRun run, StageRecorder stage, CancellationToken ct);

    /// <summary>An input a stage declared; a dependency produced it, or the stage was skipped before this.</summary>
    private protected static T Input<T>(RecipeRun run) where T : class =>
        run.Outputs.TryGet<T>() ?? throw new InvalidOperationException($"no {typeof(T).Name}: no stage this one depends on produced it");
}

/// <summary>A stage that reads only the run's inputs (FetchRecipe, Teardown).</summary>
public abstract class StageTask<TOut> : StageTask where TOut : class
{
    public override IReadOnlyList<Type> Reads => [];
    public override Type Produces => typeof(TOut);

    private protected sealed override async Task<object?> ExecuteAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage that reads the run's plan.</summary>
public abstract class PlannedStageTask<TOut> : StageTask where TOut : class
{
    public override IReadOnlyList<Type> Reads => [typeof(RunPlan)];
    public override Type Produces => typeof(TOut);

    private protected sealed override async Task<object?> ExecuteAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, Input<RunPlan>(run), stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage that reads the run's plan and the result of an earlier stage.</summary>
public abstract class PlannedStageTask<TIn, TOut> : StageTask where TIn : class where TOut : class
{
    public override IReadOnlyList<Type> Reads => [typeof(RunPlan), typeof(TIn)];
    public override Type Produces => typeof(TOut);

    private protected sealed override async Task<object?> ExecuteAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, Input<RunPlan>(run), Input<TIn>(run), stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RecipeRun run, RunPlan plan, TIn input, StageRecorder stage, CancellationToken ct);
}
