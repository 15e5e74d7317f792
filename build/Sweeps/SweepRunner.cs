using System.Collections.Concurrent;
using RecipeCi.Processes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// Runs the recipes of a sweep, each in its own process with its own run folder
/// (<c>runs/&lt;sweep-id&gt;/&lt;recipe&gt;/</c>), at most <see cref="Parallel"/> at once. Whatever
/// one recipe does (fail, crash, hang until stopped) ends as a line of the report, never as the
/// end of the sweep. Once every run has ended, each red recipe runs <see cref="Confirm"/> more times,
/// alone and cold, to tell a defect from a flake (see <see cref="Confirmations"/>).
/// </summary>
public sealed class SweepRunner
{
    public required string SweepId { get; init; }
    public required string Artifacts { get; init; }
    public required string SweepDirectory { get; init; }
    public required CanonicalStateStore State { get; init; }
    /// <summary>The recipe's process, given the run id its run folder is named by.</summary>
    public required Func<SweepItem, string, Command> ChildCommand { get; init; }
    public int Parallel { get; init; } = 1;
    public int Confirm { get; init; }
    public Action<string> Say { get; init; } = _ => { };
    public required TimeProvider Time { get; init; }

    public string RunDirectory(string recipe, int attempt = 0) => Path.Combine(Artifacts, "runs", RunId(attempt), recipe);
    public string LogPath(string recipe, int attempt = 0) => Path.Combine(SweepDirectory, "logs", recipe + (attempt == 0 ? "" : $".confirm{attempt}") + ".log");
    /// <summary>The sweep's id for its runs, <c>&lt;sweep-id&gt;-confirm&lt;n&gt;</c> for the n-th isolation re-runs.</summary>
    public string RunId(int attempt) => attempt == 0 ? SweepId : $"{SweepId}-confirm{attempt}";

    /// <summary>
    /// Starts every item; each task completes with its recipe's line of the report. Runs start in
    /// the plan's order, <see cref="Parallel"/> workers taking the next one as they finish.
    /// </summary>
    public IReadOnlyDictionary<string, Task<RecipeSweepResult>> Start(IReadOnlyList<SweepItem> items, CancellationToken stop)
    {
        var lines = items.ToDictionary(i => i.Entry.Name, _ => new TaskCompletionSource<RecipeSweepResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var parallel = new ConcurrentDictionary<string, RecipeSweepResult>();
        var queue = new ConcurrentQueue<SweepItem>();
        foreach (var item in items)
            if (item.Error is not null) lines[item.Entry.Name].SetResult(NoVerdict(item, item.Error, null, null));
            else if (!item.Decision.Run) lines[item.Entry.Name].SetResult(Skipped(item));
            else queue.Enqueue(item);
        var ran = queue.ToList();
        Progress = new SweepProgress(ran.Count);
        var workers = Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var item))
                parallel[item.Entry.Name] = stop.IsCancellationRequested
                    ? NoVerdict(item, "not started: the sweep was stopped", null, null)
                    : await RunOneAsync(item, stop);
        }, CancellationToken.None)).ToList();
        _ = Task.Run(async () =>
        {
            // Re-runs start once no recipe process of the sweep runs any more: alone means alone.
            await Task.WhenAll(workers);
            foreach (var item in ran)
            {
                var line = parallel[item.Entry.Name];
                // Whatever goes wrong here, the line must complete: the report waits for every one.
                try { line = await ConfirmAsync(item, line, stop); }
                catch (Exception ex) { Say($"{item.Entry.Name}: not classified: {ex.GetType().Name}: {ex.Message}"); }
                lines[item.Entry.Name].SetResult(line);
            }
        }, CancellationToken.None);
        return lines.ToDictionary(kv => kv.Key, kv => kv.Value.Task);
    }

    /// <summary>The isolation re-runs of a red recipe, one after another, and its classification; a green or unstarted line as it is.</summary>
    private async Task<RecipeSweepResult> ConfirmAsync(SweepItem item, RecipeSweepResult line, CancellationToken stop)
    {
        if (line.Passed || !line.Ran || Confirm == 0) return line;
        var reruns = new List<ConfirmationRun>();
        for (var attempt = 1; attempt <= Confirm && !stop.IsCancellationRequested; attempt++)
        {
            Say($"{item.Entry.Name}: isolation re-run {attempt} of {Confirm}, alone, at {item.Latest!.Name}");
            Progress.ReRunStarted(new RunningRecipe(item.Entry.Name, attempt, Confirm, RunDirectory(item.Entry.Name, attempt), Time.GetUtcNow()));
            try
            {
                var child = await new ChildProcess(Time).RunAsync(ChildCommand(item, RunId(attempt)), LogPath(item.Entry.Name, attempt), stop);
                var (result, noVerdict) = Read(item, child, attempt);
                reruns.Add(new ConfirmationRun(attempt, noVerdict is null ? result!.Verdict : Verdict.Error, Confirmations.StoppedAt(result),
                    noVerdict ?? result!.Reason, child.ExitCode, noVerdict is not null, Math.Round(child.Wall.TotalSeconds, 3),
                    Relative(RunDirectory(item.Entry.Name, attempt)), Relative(LogPath(item.Entry.Name, attempt))));
            }
            catch (Exception ex)
            {
                reruns.Add(new ConfirmationRun(attempt, Verdict.Error, null, $"the sweep could not re-run it: {ex.GetType().Name}: {ex.Message}",
                    null, true, 0, null, null));
            }
            finally
            {
                Progress.ReRunEnded(item.Entry.Name);
            }
        }
        if (reruns.Count == 0) return line;
        var classification = Confirmations.Classify(line.Verdict, line.StoppedAt, reruns);
        Say($"{item.Entry.Name}: {classification.Word()} ({string.Join(", ", reruns.Select(r => r.Verdict.Word()))} alone after {line.Verdict.Word()} in the sweep)");
        var confirmed = line.Confirmed(classification, reruns);
        // The next sweep compares with a flaky outcome as with a pass; the history keeps every classification, in this sweep's entry.
        Record(confirmed, lastSweep: classification == Classification.Flaky);
        return confirmed;
    }

    /// <summary>How far the runs started by <see cref="Start"/> are.</summary>
    public SweepProgress Progress { get; private set; } = new(0);

    private async Task<RecipeSweepResult> RunOneAsync(SweepItem item, CancellationToken stop)
    {
        try
        {
            Progress.Started(new RunningRecipe(item.Entry.Name, 0, Confirm, RunDirectory(item.Entry.Name), Time.GetUtcNow()),
                counts => Say($"{item.Entry.Name}: started {SweepPlan.RecipeTarget} at {item.Latest!.Name} ({item.Decision.Reason}) [{counts}]"));
            var child = await new ChildProcess(Time).RunAsync(ChildCommand(item, SweepId), LogPath(item.Entry.Name), stop);
            var line = Judge(item, child);
            var wall = child.Wall.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Progress.Ended(item.Entry.Name, counts =>
                Say($"{item.Entry.Name}: ended {line.Verdict.Word()} in {wall} s{(line.Reason is null ? "" : " - " + line.Reason)}; canonical {line.Canonical.Note} [{counts}]"));
            return line;
        }
        catch (Exception ex)
        {
            var why = $"the sweep could not run it: {ex.GetType().Name}: {ex.Message}";
            Progress.Ended(item.Entry.Name, counts => Say($"{item.Entry.Name}: ended without a verdict: {why} [{counts}]"));
            return NoVerdict(item, why, null, null);
        }
    }

    /// <summary>The run's results, or why the sweep has no verdict from it.</summary>
    private (RunResult? Result, string? NoVerdict) Read(SweepItem item, ChildResult child, int attempt)
    {
        var resultsPath = Path.Combine(RunDirectory(item.Entry.Name, attempt), RunResult.FileName);
        RunResult? result = null;
        string? unreadable = null;
        try
        {
            if (File.Exists(resultsPath)) result = RunResult.Read(resultsPath);
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or InvalidDataException or IOException)
        {
            unreadable = ex.Message;
        }

        var tail = child.Tail.Count == 0 ? "(no output)" : string.Join(" | ", child.Tail.TakeLast(5));
        // Exit codes a verdict gives: 0 passed, 1 any other verdict. Anything else is a crash,
        // a bad input or a stop, whatever results.json says.
        if (result is null || child.ExitCode is not (0 or 1) || (child.ExitCode == 0) != result.Passed)
        {
            var why = result is null
                ? $"its process exited {child.ExitCode} without {(unreadable is null ? "results.json" : "a readable results.json (" + unreadable + ")")}"
                : $"its process exited {child.ExitCode}{(child.Interrupted ? " (stopped)" : "")} with the verdict '{result.Verdict.Word()}' in results.json";
            return (result, $"{why}; last output: {tail}");
        }
        return (result, null);
    }

    private RecipeSweepResult Judge(SweepItem item, ChildResult child)
    {
        var runDir = RunDirectory(item.Entry.Name);
        var (read, noVerdict) = Read(item, child, 0);
        if (noVerdict is not null) return NoVerdict(item, noVerdict, child, read);
        var result = read!;

        var canonical = new CanonicalPromotion(State, Time).Apply(item, result);
        var line = new RecipeSweepResult
        {
            Recipe = item.Entry.Name,
            Tag = item.Latest?.Name,
            Commit = result.Ref,
            Ran = true,
            Decision = item.Decision.Reason,
            Verdict = result.Verdict,
            Reason = result.Reason,
            StoppedAt = Confirmations.StoppedAt(result),
            Cause = ShortCause.Of(result.Verdict, false, result.StoppingStage(), result.Reason),
            Level = result.Level,
            Rungs = result.Rungs,
            ExitCode = child.ExitCode,
            WallS = Math.Round(child.Wall.TotalSeconds, 3),
            HarnessOverheadS = new HarnessOverhead(runDir).Measure(result, child.StartedAt, child.Wall),
            TeardownS = result.Stages.FirstOrDefault(x => x.Stage == StageId.Teardown)?.DurationS,
            Evidence = Relative(runDir),
            Log = Relative(LogPath(item.Entry.Name)),
            PreviousVerdict = item.Previous?.Verdict,
            Change = Changes.Of(true, result.Passed, item.Previous),
            Canonical = canonical,
            PassedChecks = result.CheckNames(passed: true),
            FailedChecks = result.CheckNames(passed: false),
        };
        Record(line);
        return line;
    }

    /// <summary>
    /// How the recipe ended, in its own state files: <c>last-sweep/</c> (what the next sweep
    /// compares with) and this sweep's entry in <c>history/</c>. A write that fails is said; the
    /// sweep goes on.
    /// </summary>
    private void Record(RecipeSweepResult line, bool lastSweep = true)
    {
        var at = Time.GetUtcNow();
        if (lastSweep)
            Persist(line.Recipe, State.LastOutcomePath(line.Recipe), () => State.WriteLastOutcome(
                new LastOutcome(line.Recipe, SweepId, line.Verdict, line.Tag, at) { Classification = line.Classification }));
        Persist(line.Recipe, State.HistoryPath(line.Recipe), () => State.RecordInHistory(line.Recipe,
            new SweepHistoryEntry(SweepId, at, line.Verdict, line.Level, line.Tag) { Classification = line.Classification, PassedChecks = line.PassedChecks }));
    }

    private void Persist(string recipe, string path, Action write)
    {
        try { write(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Say($"{recipe}: could not record the outcome in {path}: {ex.Message}");
        }
    }

    private RecipeSweepResult Skipped(SweepItem item) => new()
    {
        Recipe = item.Entry.Name,
        Tag = item.Latest?.Name,
        Commit = item.Latest?.Commit,
        Decision = item.Decision.Reason,
        Verdict = Verdict.Skipped,
        Reason = item.Decision.Reason,
        Cause = ShortCause.Of(Verdict.Skipped, false, null, item.Decision.Reason),
        Level = item.Canonical?.Level ?? 0,
        PreviousVerdict = item.Previous?.Verdict,
        Change = Change.NotRun,
        Canonical = new(false, "unchanged: not run", item.Canonical),
    };

    /// <summary>No verdict: recorded as an error (so the next sweep compares with a failure), never as green.</summary>
    private RecipeSweepResult NoVerdict(SweepItem item, string reason, ChildResult? child, RunResult? partial)
    {
        var runDir = RunDirectory(item.Entry.Name);
        var line = new RecipeSweepResult
        {
            Recipe = item.Entry.Name,
            Tag = item.Latest?.Name,
            Commit = partial?.Ref ?? item.Latest?.Commit,
            Ran = child is not null,
            Decision = item.Decision.Reason,
            Verdict = Verdict.Error,
            Reason = reason,
            StoppedAt = Confirmations.StoppedAt(partial),
            Cause = ShortCause.Of(Verdict.Error, true, null, reason),
            Rungs = partial?.Rungs ?? [],
            ExitCode = child?.ExitCode,
            NoVerdict = true,
            WallS = Math.Round(child?.Wall.TotalSeconds ?? 0, 3),
            Evidence = Directory.Exists(runDir) ? Relative(runDir) : null,
            Log = child is null ? null : Relative(LogPath(item.Entry.Name)),
            PreviousVerdict = item.Previous?.Verdict,
            Change = Changes.Of(child is not null, false, item.Previous),
            Canonical = new(false, "not written: no verdict", item.Canonical),
        };
        if (line.Ran) Record(line);
        return line;
    }

    private string Relative(string path) => Path.GetRelativePath(SweepDirectory, path).Replace('\\', '/');
}
