namespace RecipeCi.Sweeps;

/// <summary>How far a sweep's recipe runs are: done, running and queued, as each start and end line says it. Thread-safe.</summary>
public sealed class SweepProgress(int total)
{
    private int _started, _done;

    /// <summary>A run starts: the counts after it.</summary>
    public string Started() => Text(Interlocked.Increment(ref _started), Volatile.Read(ref _done));

    /// <summary>A run ended: the counts after it.</summary>
    public string Ended() => Text(Volatile.Read(ref _started), Interlocked.Increment(ref _done));

    private string Text(int started, int done) => $"done {done}, running {started - done}, queued {total - started}";
}
