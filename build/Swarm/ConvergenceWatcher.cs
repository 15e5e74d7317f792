using System.Threading.Channels;
using CliWrap.EventStream;
using CliWrap;
using Newtonsoft.Json;
using RecipeCi.Naming;

namespace RecipeCi.Swarm;

/// <summary>What to judge: the services one deploy declared, the stack as it was before it, the labels it set.</summary>
public sealed record ConvergenceRequest(string Stack, IReadOnlyList<string> Services, TimeSpan Budget)
{
    public StackSnapshot Before { get; init; } = StackSnapshot.Empty;

    /// <summary>Per service, the labels the deploy put on its spec; a spec without them is not this deploy.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Labels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>
    /// A failure already seen on this head (the rollback of its upgrade): a task of that service
    /// failing the same way ends the wait at once, since swarm's retries would only repeat it.
    /// </summary>
    public FailedService? KnownCause { get; init; }

    public string FullName(string service) => new StackName(Stack).Of(service);
}

/// <summary>One look at the requested services of a stack, as they are now.</summary>
public interface IStackObserver
{
    Task<SwarmObservation> ObserveAsync(ConvergenceRequest request, CancellationToken ct);
}

/// <summary>Swarm's events about the requested stack, as they happen, until cancelled.</summary>
public interface IStackEvents
{
    IAsyncEnumerable<DockerEvent> ListenAsync(ConvergenceRequest request, CancellationToken ct);
}

/// <summary>
/// Waits for one deploy of a stack to converge, roll back, pause, fail or run out of time: looks
/// (<see cref="IStackObserver"/>) on every swarm event about the stack (<see cref="IStackEvents"/>),
/// with a polling fallback, has each look judged (<see cref="ConvergenceJudge"/>), and records how
/// long after swarm's own timestamp of the change it decided. Every wait runs on
/// <paramref name="time"/>, so a whole wait can be replayed on a fake clock.
/// </summary>
public sealed class ConvergenceWatcher(IStackObserver observer, IStackEvents events, TimeProvider time)
{
    /// <summary>The watcher of the swarm the docker CLI talks to.</summary>
    public ConvergenceWatcher(DockerCli docker, TimeProvider time) : this(new SwarmObserver(docker, time), new DockerStackEvents(docker), time) { }

    public ConvergenceJudge Judge { get; init; } = new();
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);
    public Action<string>? Progress { get; init; }
    /// <summary>Each look as it was made, before it is judged (the tests record them as fixtures).</summary>
    public Action<SwarmObservation>? Observed { get; init; }
    /// <summary>How long to keep looking, after a decision, for swarm to finish what it still does for the deploy.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(15);

    public async Task<ConvergenceVerdict> WaitAsync(ConvergenceRequest request, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var deadline = started + request.Budget;
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heard = 0;
        var listener = ListenAsync(request, () => { Interlocked.Increment(ref heard); wake.Writer.TryWrite(true); }, stop.Token);
        var evaluations = 0;
        var lastProgress = started;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var look = await LookAsync(request, ct);
                var judged = Judge.Judge(request, look);
                evaluations++;
                var now = time.GetUtcNow();
                if (judged.Outcome is { } decided)
                {
                    // Swarm goes on after the verdict is known: it finishes a rollback, and an update
                    // marked completed can still be stopping the old tasks (observed under
                    // start-first). A few more looks record how it ended for the timeline and the
                    // forensics; the decision and its time stand as they are.
                    if (decided is ConvergenceOutcome.RolledBack or ConvergenceOutcome.Converged && Settling(look))
                        await SettleAsync(request, wake.Reader, now + Settle, ct);
                    return new ConvergenceVerdict(decided, judged.Summary, judged.Services, started, now, judged.ChangedAt, evaluations, heard);
                }
                if (now >= deadline)
                    return new ConvergenceVerdict(ConvergenceOutcome.TimedOut,
                        $"not converged after {request.Budget.TotalSeconds:0}s, still pending: " + judged.Pending,
                        judged.Services, started, now, null, evaluations, heard);
                if (now - lastProgress >= ProgressInterval)
                {
                    lastProgress = now;
                    Progress?.Invoke($"waiting for {request.Stack} ({(now - started).TotalSeconds:0}s of {request.Budget.TotalSeconds:0}s): {judged.Pending}");
                }
                await NapAsync(wake.Reader, deadline - now, ct);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await listener;
        }
    }

    private async Task<SwarmObservation> LookAsync(ConvergenceRequest request, CancellationToken ct)
    {
        var look = await observer.ObserveAsync(request, ct);
        Observed?.Invoke(look);
        return look;
    }

    /// <summary>Looks until swarm has nothing left to finish for the deploy, or until <paramref name="until"/>.</summary>
    private async Task SettleAsync(ConvergenceRequest request, ChannelReader<bool> wake, DateTimeOffset until, CancellationToken ct)
    {
        while (true)
        {
            await NapAsync(wake, until - time.GetUtcNow(), ct);
            var look = await LookAsync(request, ct);
            if (!Settling(look) || time.GetUtcNow() >= until) return;
        }
    }

    /// <summary>A requested service still rolling back, or a task swarm was told to stop that still runs.</summary>
    internal static bool Settling(SwarmObservation look) =>
        look.Services.Any(s => s.UpdateStatus?.State?.Kind == UpdateState.RollbackStarted)
        || look.Tasks.Any(t => t.DesiredState.Kind == TaskState.Shutdown && t.Status.State.Kind is TaskState.Running or TaskState.Starting);

    /// <summary>Until the next swarm event about the stack, the poll interval or <paramref name="left"/>, whichever comes first.</summary>
    private async Task NapAsync(ChannelReader<bool> wake, TimeSpan left, CancellationToken ct)
    {
        using var elapsed = new CancellationTokenSource(left < PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : PollInterval, time);
        using var nap = CancellationTokenSource.CreateLinkedTokenSource(ct, elapsed.Token);
        try { await wake.ReadAsync(nap.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    /// <summary>Each event about the stack wakes the judge; when there are none, the poll still runs.</summary>
    private async Task ListenAsync(ConvergenceRequest request, Action onEvent, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in events.ListenAsync(request, ct))
                onEvent();
        }
        catch (OperationCanceledException) { }
    }
}
