using RecipeCi.Sweeps;

namespace RecipeCi.Bench;

/// <summary>Where the background upgrades come from and where their runs go.</summary>
public sealed record BackgroundRuns(string Recipe, string Catalog, string Artifacts, string LockDir, string DomainSuffix);

/// <summary>
/// Unrelated work sharing the machine and the swarm while a benchmark measures: <paramref name="count"/>
/// upgrades of an enrolled recipe, each a harness process of its own, started again as each ends,
/// until disposed (then interrupted, so each tears its stack down).
/// </summary>
public sealed class BackgroundLoad(int count, BackgroundRuns runs, TimeProvider time, Action<string> say) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _finished;

    public int Count => count;

    public void Start()
    {
        for (var i = 1; i <= count; i++)
        {
            var worker = i;
            _loops.Add(Task.Run(() => LoopAsync(worker), CancellationToken.None));
        }
        if (count > 0) say($"background: {count} upgrades of {runs.Recipe} at a time, each in its own process, runs in {runs.Artifacts}");
    }

    private async Task LoopAsync(int worker)
    {
        for (var round = 1; !_stop.IsCancellationRequested; round++)
        {
            var runId = $"bg{worker}-{round}-{Guid.NewGuid():N}"[..20];
            var child = await new ChildProcess(time).RunAsync(ChildProcess.Harness(
            [
                "--target=Upgrade", $"--recipe={runs.Recipe}", $"--catalog={runs.Catalog}", $"--run-id={runId}",
                $"--artifacts={runs.Artifacts}", $"--lock-dir={runs.LockDir}", $"--domain-suffix={runs.DomainSuffix}",
            ]), Path.Combine(runs.Artifacts, "logs", runId + ".log"), _stop.Token);
            if (!child.Interrupted) Interlocked.Increment(ref _finished);
            // A run that cannot start (bad catalogue, no such recipe) would spin: say so and stop this worker.
            if (child.ExitCode is not (0 or 1) && !child.Interrupted)
            {
                say($"background: upgrade {runId} exited {child.ExitCode}, worker {worker} stops: {string.Join(" | ", child.Tail.TakeLast(3))}");
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        if (count > 0) say($"background: stopped; {_finished} upgrades ran to their end meanwhile");
        _stop.Dispose();
    }
}
