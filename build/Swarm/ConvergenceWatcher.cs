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

    public string FullName(string service) => new StackName(Stack).Of(service);
}

/// <summary>
/// Waits for one deploy of a stack to converge, roll back, pause, fail or run out of time: looks
/// (<see cref="SwarmObserver"/>) on every swarm event for the stack, with a polling fallback, has
/// each look judged (<see cref="ConvergenceJudge"/>), and records how long after swarm's own
/// timestamp of the change it decided.
/// </summary>
public sealed class ConvergenceWatcher(DockerCli docker)
{
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
        var observer = new SwarmObserver(docker);
        var started = DateTimeOffset.UtcNow;
        var deadline = started + request.Budget;
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var events = 0;
        var listener = ListenAsync(request, () => { Interlocked.Increment(ref events); wake.Writer.TryWrite(true); }, stop.Token);
        var evaluations = 0;
        var lastProgress = started;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var look = await observer.ObserveAsync(request, ct);
                Observed?.Invoke(look);
                var judged = Judge.Judge(request, look);
                evaluations++;
                var now = look.ObservedAt;
                if (judged.Outcome is { } decided)
                {
                    // Swarm goes on after the verdict is known: it finishes a rollback, and an update
                    // marked completed can still be stopping the old tasks (observed under
                    // start-first). A few more looks record how it ended for the timeline and the
                    // forensics; the decision and its time stand as they are.
                    if (decided is ConvergenceOutcome.RolledBack or ConvergenceOutcome.Converged && Settling(look))
                        await SettleAsync(observer, request, wake.Reader, now + Settle, ct);
                    return new ConvergenceVerdict(decided, judged.Summary, judged.Services, started, now, judged.ChangedAt, evaluations, events);
                }
                if (now >= deadline)
                    return new ConvergenceVerdict(ConvergenceOutcome.TimedOut,
                        $"not converged after {request.Budget.TotalSeconds:0}s, still pending: " + judged.Pending,
                        judged.Services, started, now, null, evaluations, events);
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
            try { await listener; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Looks until swarm has nothing left to finish for the deploy, or until <paramref name="until"/>.</summary>
    private async Task SettleAsync(SwarmObserver observer, ConvergenceRequest request, ChannelReader<bool> wake, DateTimeOffset until, CancellationToken ct)
    {
        while (true)
        {
            await NapAsync(wake, until - DateTimeOffset.UtcNow, ct);
            var look = await observer.ObserveAsync(request, ct);
            Observed?.Invoke(look);
            if (!Settling(look) || look.ObservedAt >= until) return;
        }
    }

    /// <summary>A requested service still rolling back, or a task swarm was told to stop that still runs.</summary>
    internal static bool Settling(SwarmObservation look) =>
        look.Services.Any(s => s.UpdateStatus?.State == "rollback_started")
        || look.Tasks.Any(t => t.DesiredState == "shutdown" && t.Status.State is "running" or "starting");

    /// <summary>Until the next swarm event about the stack, the poll interval or <paramref name="left"/>, whichever comes first.</summary>
    private async Task NapAsync(ChannelReader<bool> wake, TimeSpan left, CancellationToken ct)
    {
        using var nap = CancellationTokenSource.CreateLinkedTokenSource(ct);
        nap.CancelAfter(left < PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : PollInterval);
        try { await wake.ReadAsync(nap.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    /// <summary>
    /// Follows swarm's own events; each one about the stack wakes the judge. Service events carry
    /// only the service's name (no labels), so they are matched by name here, not by a label filter.
    /// </summary>
    private static async Task ListenAsync(ConvergenceRequest request, Action onEvent, CancellationToken ct)
    {
        var names = request.Services.Select(request.FullName).ToHashSet();
        var cmd = Cli.Wrap("docker")
            .WithArguments(["events", "--format", "{{json .}}", "--filter", "type=service", "--filter", "type=container"])
            .WithValidation(CommandResultValidation.None);
        try
        {
            await foreach (var e in cmd.ListenAsync(ct))
                if (e is StandardOutputCommandEvent line && IsAbout(JsonConvert.DeserializeObject<DockerEvent>(line.Text), request.Stack, names))
                    onEvent();
        }
        catch (OperationCanceledException) { }
        catch (JsonException) { }                           // a line that is not an event: the poll still runs
        catch (System.ComponentModel.Win32Exception) { }    // no docker events: the poll still runs
    }

    internal static bool IsAbout(DockerEvent? e, string stack, IReadOnlySet<string> services) => e switch
    {
        { Type: "service" } => e.Attribute("name") is { } n && (services.Contains(n) || new StackName(stack).Owns(n)),
        // Healthcheck execs fire every interval and change nothing swarm reports.
        { Type: "container" } => e.Attribute(DockerCli.StackLabel) == stack && !e.Action.StartsWith("exec_", StringComparison.Ordinal),
        _ => false,
    };
}
