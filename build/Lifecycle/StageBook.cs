using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Runs the stages of one recipe in order and keeps their records. The first stage that ends in
/// anything but passed or skipped blocks the rest: they are recorded as unverified, naming the
/// stage that stopped them. Stages marked "always" (teardown) run regardless.
/// </summary>
public sealed class StageBook(string runDirectory, CommandRunner runner, Action<string> echo)
{
    private readonly List<StageRecorder> _stages = [];

    public IReadOnlyList<StageRecorder> Stages => _stages;
    public StageRecorder? Blocker { get; private set; }
    /// <summary>Called after every stage, so results.json on disk is never older than one stage.</summary>
    public Action? AfterStage { get; set; }
    /// <summary>What asked the run to stop (a signal, the deadline), named in the interrupted stage's reason.</summary>
    public Func<string?> InterruptReason { get; set; } = () => null;

    public bool ShouldRun(string name, bool always = false)
    {
        if (always || Blocker is null) return true;
        var stage = Open(name);
        stage.End(StageStatus.Unverified, $"not run: {Blocker.Name} was {Blocker.Status.Text()}");
        Close(stage);
        return false;
    }

    /// <param name="neutral">
    /// A verdict-neutral stage (lint) counts for its rung only: its failure neither stops the run
    /// nor becomes the verdict.
    /// </param>
    public async Task RunAsync(string name, Func<StageRecorder, Task> body, StageStatus failAs, CancellationToken ct, bool neutral = false)
    {
        var stage = Open(name);
        stage.VerdictNeutral = neutral;
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
            stage.End(failAs, ex.Message);
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
        if (stage.Status != StageStatus.Passed) stage.Log($"{name}: {stage.Status.Text()}: {stage.Reason}");
        Close(stage);
    }

    private StageRecorder Open(string name) => new(runDirectory, _stages.Count + 1, name, echo);

    private void Close(StageRecorder stage)
    {
        stage.Finish();
        _stages.Add(stage);
        if (Blocker is null && !stage.Status.LetsRunContinue() && !stage.VerdictNeutral) Blocker = stage;
        AfterStage?.Invoke();
    }
}
