using RecipeCi.Abra;
using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Runs the stages of one recipe in order and keeps their records. The first stage that ends in
/// anything but passed or skipped blocks the rest: they are recorded as unverified, naming the
/// stage that stopped them, until a stage that starts over from a clean slate (ColdInstallHead, ReinstallHead)
/// lifts the stop. Teardown runs regardless.
/// </summary>
public sealed class StageBook(string runDirectory, CommandRunner runner, ArtifactWriter artifacts, Action<string> echo, TimeProvider clock)
{
    private readonly List<StageRecorder> _stages = [];
    private StageRecorder? _blocker;

    public IReadOnlyList<StageRecorder> Stages => _stages;

    /// <summary>The stage that stopped the run, or null while nothing has.</summary>
    public StageStop? Stop => _blocker is { } b ? new StageStop(b.Kind.Stage, b.Kind.Rung, b.Status) { Failure = b.Failure } : null;
    /// <summary>Called after every stage, so results.json on disk is never older than one stage.</summary>
    public Action? AfterStage { get; init; }
    /// <summary>What asked the run to stop (a signal, the deadline), named in the interrupted stage's reason.</summary>
    public Func<string?> InterruptReason { get; set; } = () => null;

    /// <summary>True when the stage may run; otherwise it is recorded unverified, naming the stage that stopped the run.</summary>
    public bool ShouldRun(StageKind kind, bool always = false)
    {
        if (always || _blocker is null) return true;
        var stage = Open(kind);
        stage.End(StageStatus.Unverified, $"not run: {_blocker.Name} was {_blocker.Status.Word()}");
        Close(stage);
        return false;
    }

    /// <summary>
    /// Whether a stage that starts over from a clean slate runs: when nothing stopped the run, or
    /// when <paramref name="lifts"/> says the stop is one it starts over from. Otherwise it is
    /// recorded unverified, as any stage.
    /// </summary>
    public bool ShouldStartOver(StageKind kind, Func<StageStop, bool> lifts) => ShouldRun(kind, always: Stop is { } stop && lifts(stop));

    /// <summary>
    /// Runs a stage that starts over from a clean slate (it sets the app up afresh): a stop that
    /// <paramref name="lifts"/> says it may lift is lifted first, and the body is told which (null
    /// when nothing had stopped the run). The stages after it then run, unless it fails itself:
    /// then they are unverified, naming it.
    /// </summary>
    public Task StartOverAsync(StageKind kind, ResultSlot sets, Func<StageStop, bool> lifts, Func<StageRecorder, StageStop?, Task<object?>> body,
        StageStatus failAs, CancellationToken ct)
    {
        var lifted = Stop is { } stop && lifts(stop) ? stop : null;
        if (lifted is not null) _blocker = null;
        return RunAsync(kind, sets, null, stage => body(stage, lifted), failAs, ct);
    }

    /// <summary>What the stages found so far: each stage's result in the one property it declares.</summary>
    public RunResults Results { get; private set; } = RunResults.None;

    /// <param name="sets">
    /// The one result the stage sets: what <paramref name="body"/> returns, or, when it returns
    /// nothing, why not (the stage's reason), for the stages that need it to skip with.
    /// </param>
    /// <param name="leaves">Where the part a stage found before it stopped short goes (<see cref="StoppedShort"/>).</param>
    /// <remarks>
    /// A verdict-neutral stage (lint) counts for its rung only: its failure neither stops the run
    /// nor becomes the verdict.
    /// </remarks>
    public async Task RunAsync(StageKind kind, ResultSlot sets, ResultSlot? leaves, Func<StageRecorder, Task<object?>> body, StageStatus failAs, CancellationToken ct)
    {
        var stage = Open(kind);
        runner.Journal = stage;
        try
        {
            var found = await body(stage);
            Results = found is null ? sets.Skip(Results, stage.Reason ?? $"{kind.Name} produced nothing") : sets.PutFound(Results, found);
        }
        catch (StoppedShort stopped) when (leaves is not null && stopped.InnerException is { } cause)
        {
            Results = leaves.PutFound(Results, stopped.Found);
            End(stage, cause, failAs, ct);
        }
        catch (Exception ex)
        {
            End(stage, ex, failAs, ct);
        }
        finally
        {
            runner.Journal = null;
        }
        if (stage.Status != StageStatus.Passed) stage.Log($"{kind.Name}: {stage.Status.Word()}: {stage.Reason}");
        Close(stage);
    }

    private void End(StageRecorder stage, Exception ex, StageStatus failAs, CancellationToken ct)
    {
        switch (ex)
        {
            case StageFailure f:
                stage.End(f.Status, f.Message);
                break;
            case OperationCanceledException when ct.IsCancellationRequested:
                stage.End(StageStatus.Error, $"interrupted by {InterruptReason() ?? "a request to stop"}");
                break;
            // What the host lacks is no verdict on the recipe, whichever stage met it.
            case AbraException or CommandFailedException or ConfigException or TimeoutException:
                if (HostGap.Explain(ex.Message) is { } gap) stage.End(StageStatus.Error, $"{gap}: {ex.Message}");
                else stage.End(failAs, ex.Message);
                break;
            default:
                stage.Evidence.Add(Path.GetFileName(stage.Write("exception.txt", ex.ToString())));
                stage.End(StageStatus.Error, $"harness error: {ex.GetType().Name}: {ex.Message}");
                break;
        }
    }

    private StageRecorder Open(StageKind kind) => new(runDirectory, _stages.Count + 1, kind, artifacts, echo, clock);

    private void Close(StageRecorder stage)
    {
        stage.Finish();
        _stages.Add(stage);
        if (_blocker is null && !stage.Status.LetsRunContinue() && !stage.Kind.VerdictNeutral && stage.Kind.StopsRun) _blocker = stage;
        AfterStage?.Invoke();
    }
}

/// <summary>The stage that stopped the run: its name, the rung it counts for and how it ended.</summary>
public sealed record StageStop(StageId Stage, Rung? Rung, StageStatus Status)
{
    /// <summary>The service whose tasks failed and why, when the stage saw one (a convergence stage).</summary>
    public FailedService? Failure { get; init; }
}

/// <summary>
/// A stage stopped (failed, or was interrupted) after it found part of what later stages or
/// results.json still need: the app's names before its lock was held. The stage book keeps the
/// part in the slot the stage declares for it, then records the stop as <see cref="Exception.InnerException"/> says.
/// </summary>
public sealed class StoppedShort(object found, Exception cause) : Exception(cause.Message, cause)
{
    public object Found { get; } = found;
}
