using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Runs the stages of one recipe in order and keeps their records. The first stage that ends in
/// anything but passed or skipped blocks the rest: they are recorded as unverified, naming the
/// stage that stopped them, until a stage that starts over from a clean slate (ColdInstallHead)
/// lifts the stop. Teardown runs regardless.
/// </summary>
public sealed class StageBook(string runDirectory, CommandRunner runner, ArtifactWriter artifacts, Action<string> echo)
{
    private readonly List<StageRecorder> _stages = [];

    public IReadOnlyList<StageRecorder> Stages => _stages;
    public StageRecorder? Blocker { get; private set; }
    /// <summary>Called after every stage, so results.json on disk is never older than one stage.</summary>
    public Action? AfterStage { get; init; }
    /// <summary>What asked the run to stop (a signal, the deadline), named in the interrupted stage's reason.</summary>
    public Func<string?> InterruptReason { get; set; } = () => null;

    /// <summary>True when the stage may run; otherwise it is recorded unverified, naming the stage that stopped the run.</summary>
    public bool ShouldRun(StageKind kind, bool always = false)
    {
        if (always || Blocker is null) return true;
        var stage = Open(kind);
        stage.End(StageStatus.Unverified, $"not run: {Blocker.Name} was {Blocker.Status.Word()}");
        Close(stage);
        return false;
    }

    /// <summary>
    /// Lets the stages after the one that stopped the run go on: called by a stage that has just
    /// set the app up afresh. Its own failure then stops the rest, naming it.
    /// </summary>
    public void Lift() => Blocker = null;

    /// <remarks>
    /// A verdict-neutral stage (lint) counts for its rung only: its failure neither stops the run
    /// nor becomes the verdict.
    /// </remarks>
    public async Task RunAsync(StageKind kind, Func<StageRecorder, Task> body, StageStatus failAs, CancellationToken ct)
    {
        var stage = Open(kind);
        runner.Journal = stage;
        try
        {
            await body(stage);
        }
        catch (StageFailure f)
        {
            stage.End(f.Status, f.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stage.End(StageStatus.Error, $"interrupted by {InterruptReason() ?? "a request to stop"}");
        }
        catch (Exception ex) when (ex is AbraException or CommandFailedException or ConfigException or TimeoutException)
        {
            // What the host lacks is no verdict on the recipe, whichever stage met it.
            if (HostGap.Explain(ex.Message) is { } gap) stage.End(StageStatus.Error, $"{gap}: {ex.Message}");
            else stage.End(failAs, ex.Message);
        }
        catch (Exception ex)
        {
            stage.Evidence.Add(Path.GetFileName(stage.Write("exception.txt", ex.ToString())));
            stage.End(StageStatus.Error, $"harness error: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            runner.Journal = null;
        }
        if (stage.Status != StageStatus.Passed) stage.Log($"{kind.Name}: {stage.Status.Word()}: {stage.Reason}");
        Close(stage);
    }

    private StageRecorder Open(StageKind kind) => new(runDirectory, _stages.Count + 1, kind, artifacts, echo);

    private void Close(StageRecorder stage)
    {
        stage.Finish();
        _stages.Add(stage);
        if (Blocker is null && !stage.Status.LetsRunContinue() && !stage.Kind.VerdictNeutral && stage.Kind.StopsRun) Blocker = stage;
        AfterStage?.Invoke();
    }
}
