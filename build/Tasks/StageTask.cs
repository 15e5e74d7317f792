using System.Reflection;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks;

/// <summary>
/// A lifecycle stage as a Cake task: runs only while no earlier stage has stopped the run, is
/// skipped (with the reason) when the run's plan leaves its rung out or an input it needs was
/// skipped, and records its outcome and evidence through the run's <see cref="StageBook"/>. What a
/// stage reads and the one result it sets are declared slots of <see cref="RunResults"/> (see the
/// subclasses): a stage sees only the results it declares, the stage book puts what it returns in
/// its own slot, and a test checks that a dependency of it sets each result it reads.
/// </summary>
public abstract class StageTask : AsyncFrostingTask<RecipeContext>
{
    /// <summary>The stage's name: its class's, without <c>Task</c>, as the task table and its records show it.</summary>
    public string Name => CakeHost.TaskNameOf(GetType());

    /// <summary>Which stage this is; every <see cref="StageId"/> has one task, named as it is (a unit test holds them to each other).</summary>
    public StageId Id => Enum.Parse<StageId>(Name);

    /// <summary>The rung this stage counts for, from its <see cref="RungAttribute"/>; none for fetch and teardown.</summary>
    public Rung? CountsFor => GetType().GetCustomAttribute<RungAttribute>()?.Rung;

    private bool WaitsOnSwarm => GetType().GetCustomAttribute<WaitsOnSwarmAttribute>() is not null;

    /// <summary>The results of earlier stages this stage needs: a dependency sets each, and when one was skipped this stage is skipped with its reason.</summary>
    public abstract IReadOnlyList<ResultSlot> Reads { get; }

    /// <summary>Results this stage reads when they are there, and does without (Teardown: whatever the run got to).</summary>
    public virtual IReadOnlyList<ResultSlot> ReadsIfSet => [];

    /// <summary>The one result this stage sets; no stage sets another's.</summary>
    public abstract ResultSlot Sets { get; }

    /// <summary>Where the part of its result a stage found before it stopped short goes (<see cref="StoppedShort"/>), if it can leave one.</summary>
    public virtual ResultSlot? LeavesWhenStopped => null;

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
    protected StageKind KindIn(RunParts run) =>
        new(Id, CountsFor, VerdictNeutral && !run.Target.CoversOnly(CountsFor), WaitsOnSwarm) { StopsRun = !OnlyObserves };

    /// <summary>For a stage that starts over from a clean slate: which stop, put on the run by an earlier stage, it lifts. Null for any other stage.</summary>
    private protected virtual Func<StageStop, bool>? Lifts(RunParts run, bool stopping) => null;

    public override bool ShouldRun(RecipeContext context)
    {
        var run = context.RequireRun();
        return Lifts(run, context.Interrupt.Token.IsCancellationRequested) is { } lifts
            ? run.Stages.ShouldStartOver(KindIn(run), lifts)
            : run.Stages.ShouldRun(KindIn(run));
    }

    public override Task RunAsync(RecipeContext context)
    {
        var run = context.RequireRun();
        var ct = StageCancellation(context);
        var results = run.Stages.Results;
        var kind = KindIn(run);
        var failAs = FailureStatus(results.Plan);
        async Task<object?> Body(StageRecorder stage, StageStop? lifted)
        {
            if (SkipReason(run, results) is { } reason)
            {
                stage.Skip(reason);
                return null;
            }
            return await ExecuteAsync(run, results, lifted, stage, ct);
        }
        return Lifts(run, ct.IsCancellationRequested) is { } lifts
            ? run.Stages.StartOverAsync(kind, Sets, lifts, Body, failAs, ct)
            : run.Stages.RunAsync(kind, Sets, LeavesWhenStopped, stage => Body(stage, null), failAs, ct);
    }

    private string? SkipReason(RunParts run, RunResults results)
    {
        if (results.Plan is { } plan && CountsFor is { } rung && TargetPlan.SkipReason(rung, plan.Rungs, plan.FirstDeploy, plan.Base) is { } notPlanned) return notPlanned;
        if (CountsFor is { } declared && run.Entry.NotApplicable.TryGetValue(declared, out var why))
            return $"declared not applicable in recipes.yaml: {why}";
        return Reads.Select(slot => slot.WhyMissing(results)).FirstOrDefault(why => why is not null);
    }

    /// <summary>What stops the stage: the run's signal and deadline, unless the stage has its own budget.</summary>
    protected virtual CancellationToken StageCancellation(RecipeContext context) => context.Interrupt.Token;

    /// <summary>Runs the stage; its result (null when it skipped itself) goes into the one slot it <see cref="Sets"/>.</summary>
    /// <param name="lifted">The stop a stage that starts over lifted; null for every other stage.</param>
    private protected abstract Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct);

    /// <summary>An input the stage declared; a dependency set it, or the stage was skipped before this.</summary>
    private protected T Input<T>(RunResults results, ResultSlot<T> slot) where T : class =>
        Reads.Contains(slot) || ReadsIfSet.Contains(slot)
            ? slot.Get(results) ?? throw new InvalidOperationException($"no {slot.Name}: no stage {Name} depends on set it")
            : throw new InvalidOperationException($"{Name} reads {slot.Name} without declaring it");
}

/// <summary>A stage that needs no earlier result (FetchRecipe, Teardown); it may still read results that are there (<see cref="StageTask.ReadsIfSet"/>).</summary>
public abstract class StageTask<TOut> : StageTask where TOut : class
{
    /// <summary>The slot the stage's result goes into.</summary>
    protected abstract ResultSlot<TOut> Output { get; }
    public sealed override ResultSlot Sets => Output;
    public override IReadOnlyList<ResultSlot> Reads => [];

    private protected sealed override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, new StageInputs(results, ReadsIfSet), stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RunParts run, StageInputs inputs, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage that reads the run's plan.</summary>
public abstract class PlannedStageTask<TOut> : StageTask where TOut : class
{
    protected abstract ResultSlot<TOut> Output { get; }
    public sealed override ResultSlot Sets => Output;
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan];

    private protected sealed override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, Input(results, ResultSlots.Plan), stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct);
}

/// <summary>A stage that reads the run's plan and the result of an earlier stage.</summary>
public abstract class PlannedStageTask<TIn, TOut> : StageTask where TIn : class where TOut : class
{
    /// <summary>The slot of the earlier result the stage reads.</summary>
    protected abstract ResultSlot<TIn> Needs { get; }
    protected abstract ResultSlot<TOut> Output { get; }
    public sealed override ResultSlot Sets => Output;
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan, Needs];

    private protected sealed override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, Input(results, ResultSlots.Plan), Input(results, Needs), stage, ct);

    protected abstract Task<TOut?> RunStageAsync(RunParts run, RunPlan plan, TIn input, StageRecorder stage, CancellationToken ct);
}

/// <summary>
/// A stage that starts over from a clean slate (it sets the app up afresh, ColdInstallHead): it
/// reads the run's plan, runs even though an earlier stage stopped the run when it lifts that stop
/// (<see cref="Lifts(RunParts, RunPlan, StageStop, bool)"/>), and is told which stop it lifted.
/// </summary>
public abstract class StartOverStageTask<TOut> : StageTask where TOut : class
{
    protected abstract ResultSlot<TOut> Output { get; }
    public sealed override ResultSlot Sets => Output;
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan];

    /// <summary>Whether the stage lifts <paramref name="stop"/>: the decision is the lifecycle's, over values.</summary>
    protected abstract bool Lifts(RunParts run, RunPlan plan, StageStop stop, bool stopping);

    private protected sealed override Func<StageStop, bool> Lifts(RunParts run, bool stopping) =>
        run.Stages.Results.Plan is { } plan ? stop => Lifts(run, plan, stop, stopping) : _ => false;

    private protected sealed override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await RunStageAsync(run, Input(results, ResultSlots.Plan), new StageInputs(results, ReadsIfSet), lifted, stage, ct);

    /// <param name="inputs">The results it reads when they are there (<see cref="StageTask.ReadsIfSet"/>).</param>
    /// <param name="lifted">The stop the stage lifted; null when nothing had stopped the run.</param>
    protected abstract Task<TOut?> RunStageAsync(RunParts run, RunPlan plan, StageInputs inputs, StageStop? lifted, StageRecorder stage, CancellationToken ct);
}

/// <summary>The results a stage may read when they are there: only those it declares.</summary>
public sealed class StageInputs(RunResults results, IReadOnlyList<ResultSlot> declared)
{
    public T? IfSet<T>(ResultSlot<T> slot) where T : class =>
        declared.Contains(slot) ? slot.Get(results) : throw new InvalidOperationException($"{slot.Name} is read without being declared");
}
