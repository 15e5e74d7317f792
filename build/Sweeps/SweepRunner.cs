using RecipeCi.Verdicts;
using System.Collections.Concurrent;
using RecipeCi.Evidence;
using RecipeCi.Processes;

namespace RecipeCi.Sweeps;

/// <summary>
/// Runs the recipes of a sweep, each in its own process with its own run folder
/// (<c>runs/&lt;sweep-id&gt;/&lt;recipe&gt;/</c>), at most <see cref="Parallel"/> at once. Whatever
/// one recipe does (fail, crash, hang until stopped) ends as a line of the report, never as the
/// end of the sweep.
/// </summary>
public sealed class SweepRunner
{
    public required string SweepId { get; init; }
    public required string Artifacts { get; init; }
    public required string SweepDirectory { get; init; }
    public required CanonicalStateStore State { get; init; }
    public required Func<SweepItem, Command> ChildCommand { get; init; }
    public int Parallel { get; init; } = 1;
    public Action<string> Say { get; init; } = _ => { };

    public string RunDirectory(string recipe) => Path.Combine(Artifacts, "runs", SweepId, recipe);
    public string LogPath(string recipe) => Path.Combine(SweepDirectory, "logs", recipe + ".log");

    /// <summary>
    /// Starts every item; each task completes with its recipe's line of the report. Runs start in
    /// the plan's order, <see cref="Parallel"/> workers taking the next one as they finish.
    /// </summary>
    public IReadOnlyDictionary<string, Task<RecipeSweepResult>> Start(IReadOnlyList<SweepItem> items, CancellationToken stop)
    {
        var lines = items.ToDictionary(i => i.Entry.Name, _ => new TaskCompletionSource<RecipeSweepResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = new ConcurrentQueue<SweepItem>();
        foreach (var item in items)
            if (item.Error is not null) lines[item.Entry.Name].SetResult(NoVerdict(item, item.Error, null, null));
            else if (!item.Decision.Run) lines[item.Entry.Name].SetResult(Skipped(item));
            else queue.Enqueue(item);
        for (var w = 0; w < Parallel; w++)
            _ = Task.Run(async () =>
            {
                while (queue.TryDequeue(out var item))
                    lines[item.Entry.Name].SetResult(stop.IsCancellationRequested
                        ? NoVerdict(item, "not started: the sweep was stopped", null, null)
                        : await RunOneAsync(item, stop));
            }, CancellationToken.None);
        return lines.ToDictionary(kv => kv.Key, kv => kv.Value.Task);
    }

    private async Task<RecipeSweepResult> RunOneAsync(SweepItem item, CancellationToken stop)
    {
        try
        {
            Say($"{item.Entry.Name}: {SweepPlan.RecipeTarget} at {item.Latest!.Name} ({item.Decision.Reason})");
            var child = await ChildProcess.RunAsync(ChildCommand(item), LogPath(item.Entry.Name), stop);
            var line = Judge(item, child);
            Say($"{item.Entry.Name}: {line.Verdict.Word()}{(line.Reason is null ? "" : " - " + line.Reason)}; canonical {line.Canonical.Note}");
            return line;
        }
        catch (Exception ex)
        {
            return NoVerdict(item, $"the sweep could not run it: {ex.GetType().Name}: {ex.Message}", null, null);
        }
    }

    private RecipeSweepResult Judge(SweepItem item, ChildResult child)
    {
        var runDir = RunDirectory(item.Entry.Name);
        var resultsPath = Path.Combine(runDir, RunResult.FileName);
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
            return NoVerdict(item, $"{why}; last output: {tail}", child, result);
        }

        var canonical = CanonicalPromotion.Apply(State, item, result);
        WriteLastOutcome(item, result.Verdict);
        return new RecipeSweepResult
        {
            Recipe = item.Entry.Name,
            Tag = item.Latest?.Name,
            Commit = result.Ref,
            Ran = true,
            Decision = item.Decision.Reason,
            Verdict = result.Verdict,
            Reason = result.Reason,
            Level = result.Level,
            Rungs = result.Rungs,
            ExitCode = child.ExitCode,
            WallS = Math.Round(child.Wall.TotalSeconds, 3),
            HarnessOverheadS = HarnessOverhead.Measure(runDir, result, child.StartedAt, child.Wall),
            Evidence = Relative(runDir),
            Log = Relative(LogPath(item.Entry.Name)),
            PreviousVerdict = item.Previous?.Verdict,
            Change = Changes.Of(true, result.Passed, item.Previous?.Verdict),
            Canonical = canonical,
        };
    }

    private void WriteLastOutcome(SweepItem item, Verdict verdict)
    {
        try
        {
            State.WriteLastOutcome(new LastOutcome(item.Entry.Name, SweepId, verdict, item.Latest?.Name, DateTimeOffset.UtcNow));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Say($"{item.Entry.Name}: could not record the outcome in {State.LastOutcomePath(item.Entry.Name)}: {ex.Message}");
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
        Level = item.Canonical?.Level ?? 0,
        PreviousVerdict = item.Previous?.Verdict,
        Change = Change.NotRun,
        Canonical = new(false, "unchanged: not run", item.Canonical),
    };

    /// <summary>No verdict: recorded as an error (so the next sweep compares with a failure), never as green.</summary>
    private RecipeSweepResult NoVerdict(SweepItem item, string reason, ChildResult? child, RunResult? partial)
    {
        if (child is not null) WriteLastOutcome(item, Verdict.Error);
        var runDir = RunDirectory(item.Entry.Name);
        return new RecipeSweepResult
        {
            Recipe = item.Entry.Name,
            Tag = item.Latest?.Name,
            Commit = partial?.Ref ?? item.Latest?.Commit,
            Ran = child is not null,
            Decision = item.Decision.Reason,
            Verdict = Verdict.Error,
            Reason = reason,
            Rungs = partial?.Rungs ?? [],
            ExitCode = child?.ExitCode,
            NoVerdict = true,
            WallS = Math.Round(child?.Wall.TotalSeconds ?? 0, 3),
            Evidence = Directory.Exists(runDir) ? Relative(runDir) : null,
            Log = child is null ? null : Relative(LogPath(item.Entry.Name)),
            PreviousVerdict = item.Previous?.Verdict,
            Change = Changes.Of(child is not null, false, item.Previous?.Verdict),
            Canonical = new(false, "not written: no verdict", item.Canonical),
        };
    }

    private string Relative(string path) => Path.GetRelativePath(SweepDirectory, path).Replace('\\', '/');
}
