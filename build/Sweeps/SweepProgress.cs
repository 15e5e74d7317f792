namespace RecipeCi.Sweeps;

/// <summary>
/// A recipe process of the sweep that runs now: its recipe, which run it is (0 the sweep's own, n the
/// n-th isolation re-run of <see cref="Attempts"/>), its run folder, when it started, and its current
/// stage with since when, once someone has read them from the run folder.
/// </summary>
public sealed record RunningRecipe(string Recipe, int Attempt, int Attempts, string RunDirectory, DateTimeOffset StartedAt)
{
    public string? Stage { get; init; }
    public DateTimeOffset? StageSince { get; init; }
}

/// <summary>How far the sweep's recipe runs are at one moment: the counts, and the processes running now.</summary>
public sealed record SweepSnapshot(int Done, int Running, int Queued, IReadOnlyList<RunningRecipe> Runs)
{
    /// <summary>The counts as each start and end line and the live status say them.</summary>
    public string Counts => $"done {Done}, running {Running}, queued {Queued}";
}

/// <summary>
/// How far a sweep's recipe runs are: done, running and queued (the sweep's own runs), and every
/// recipe process running now, isolation re-runs included. Thread-safe: the runs' workers write, the
/// live status reads.
/// </summary>
public sealed class SweepProgress(int total)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunningRecipe> _running = [];
    private int _started, _done;

    /// <summary>The sweep's own runs, started or not.</summary>
    public int Total => total;

    /// <summary>
    /// A run starts: the counts after it, given to <paramref name="announce"/> before any other run
    /// starts or ends, so the lines that carry the counts are printed in their order.
    /// </summary>
    public string Started(RunningRecipe run, Action<string>? announce = null)
    {
        lock (_gate)
        {
            _started++;
            _running[run.Recipe] = run;
            return Announced(announce);
        }
    }

    /// <summary>A run ended: the counts after it, announced as <see cref="Started"/> does.</summary>
    public string Ended(string recipe, Action<string>? announce = null)
    {
        lock (_gate)
        {
            _done++;
            _running.Remove(recipe);
            return Announced(announce);
        }
    }

    private string Announced(Action<string>? announce)
    {
        var counts = Snapshot().Counts;
        announce?.Invoke(counts);
        return counts;
    }

    /// <summary>An isolation re-run starts: shown as running, not counted, since every run of the sweep has ended by then.</summary>
    public void ReRunStarted(RunningRecipe run)
    {
        lock (_gate) _running[run.Recipe] = run;
    }

    public void ReRunEnded(string recipe)
    {
        lock (_gate) _running.Remove(recipe);
    }

    public SweepSnapshot Snapshot()
    {
        lock (_gate) return new SweepSnapshot(_done, _started - _done, total - _started, [.. _running.Values]);
    }
}
