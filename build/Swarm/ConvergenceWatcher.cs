using System.Threading.Channels;
using CliWrap;
using CliWrap.EventStream;
using RecipeCi.Processes;

namespace RecipeCi.Swarm;

/// <summary>
/// Decides whether one deploy of a stack converged, rolled back, paused, failed or ran out of
/// time. Judges only this deploy: services are compared with a <see cref="StackSnapshot"/> taken
/// before it, and only tasks on the current spec count (old tasks still serving under start-first
/// are not convergence). Re-evaluates on every swarm event for the stack, with a polling fallback.
/// </summary>
public sealed class ConvergenceWatcher(DockerCli docker)
{
    /// <summary>Failed tasks on the current spec, with none running, after which waiting is pointless.</summary>
    public int FailedTaskLimit { get; init; } = 3;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);
    public Action<string>? Progress { get; init; }

    public async Task<ConvergenceVerdict> WaitAsync(string stack, IReadOnlyList<string> services, StackSnapshot? before,
        TimeSpan budget, CancellationToken ct)
    {
        before ??= StackSnapshot.Empty;
        var started = DateTimeOffset.UtcNow;
        var deadline = started + budget;
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var events = 0;
        var listener = ListenAsync(stack, () => { Interlocked.Increment(ref events); wake.Writer.TryWrite(true); }, stop.Token);
        var evaluations = 0;
        var lastProgress = started;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var (states, changedAt) = await EvaluateAsync(stack, services, before, ct);
                evaluations++;
                var now = DateTimeOffset.UtcNow;
                var decided = Decide(states);
                if (decided is not null)
                    return new ConvergenceVerdict(decided.Value, Summarize(decided.Value, states), states, started, now, changedAt, evaluations, events);
                if (now >= deadline)
                    return new ConvergenceVerdict(ConvergenceOutcome.TimedOut,
                        $"not converged after {budget.TotalSeconds:0}s: " + string.Join("; ", states.Where(s => s.Outcome is null).Select(Describe)),
                        states, started, now, null, evaluations, events);
                if (now - lastProgress >= ProgressInterval)
                {
                    lastProgress = now;
                    Progress?.Invoke($"waiting for {stack} ({(now - started).TotalSeconds:0}s of {budget.TotalSeconds:0}s): " +
                                     string.Join("; ", states.Where(s => s.Outcome is null).Select(Describe)));
                }
                using var nap = CancellationTokenSource.CreateLinkedTokenSource(ct);
                nap.CancelAfter(Min(PollInterval, deadline - now));
                try { await wake.Reader.ReadAsync(nap.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try { await listener; } catch (OperationCanceledException) { }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (b < TimeSpan.Zero ? TimeSpan.Zero : a) : b < TimeSpan.Zero ? TimeSpan.Zero : b;

    /// <summary>Follows swarm's own events for the stack's services and containers; each one wakes the judge.</summary>
    private static async Task ListenAsync(string stack, Action onEvent, CancellationToken ct)
    {
        var cmd = Cli.Wrap("docker")
            .WithArguments(["events", "--format", "{{.Type}} {{.Action}}",
                "--filter", "type=service", "--filter", "type=container",
                "--filter", $"label={DockerCli.StackLabel}={stack}"])
            .WithValidation(CommandResultValidation.None);
        try
        {
            await foreach (var e in cmd.ListenAsync(ct))
                if (e is StandardOutputCommandEvent) onEvent();
        }
        catch (OperationCanceledException) { }
        catch (System.ComponentModel.Win32Exception) { } // no docker events: the poll still runs
    }

    internal async Task<(List<ServiceState> States, DateTimeOffset? ChangedAt)> EvaluateAsync(string stack,
        IReadOnlyList<string> services, StackSnapshot before, CancellationToken ct)
    {
        var states = new List<ServiceState>();
        DateTimeOffset? changedAt = null;
        void Saw(DateTimeOffset? t) { if (t is { } v && (changedAt is null || v > changedAt)) changedAt = v; }

        var live = (await docker.StackServicesAsync(stack, ct)).ToDictionary(s => s.Name);
        foreach (var shortName in services)
        {
            var name = $"{stack}_{shortName}";
            if (!live.TryGetValue(name, out var svc))
            {
                states.Add(new ServiceState(shortName, null, "not created yet", null, null));
                continue;
            }
            var update = before.IsStale(svc) ? null : svc.UpdateStatus;
            switch (update?.State)
            {
                case "updating":
                    states.Add(new ServiceState(shortName, null, "updating: " + update.Message, update.State, null));
                    continue;
                case "rollback_started" or "rollback_completed" or "rollback_paused":
                {
                    var err = await LastTaskErrorAsync(name, ct);
                    Saw(update.CompletedAt ?? err.At ?? update.StartedAt);
                    states.Add(new ServiceState(shortName, ConvergenceOutcome.RolledBack,
                        $"swarm {update.State.Replace('_', ' ')}: {update.Message}", update.State, err.Error));
                    continue;
                }
                case "paused":
                {
                    var err = await LastTaskErrorAsync(name, ct);
                    Saw(update.CompletedAt ?? err.At);
                    states.Add(new ServiceState(shortName, ConvergenceOutcome.Paused, $"update paused: {update.Message}", update.State, err.Error));
                    continue;
                }
            }
            states.Add(await JudgeTasksAsync(shortName, svc, update, Saw, ct));
        }
        return (states, changedAt);
    }

    private async Task<ServiceState> JudgeTasksAsync(string shortName, ServiceInfo svc, UpdateStatus? update,
        Action<DateTimeOffset?> saw, CancellationToken ct)
    {
        var tasks = await docker.TasksAsync(svc.Name, upToDate: true, ct);
        var running = tasks.Where(t => t is { DesiredState: "running", Status.State: "running" }).ToList();
        var complete = tasks.Where(t => t.Status.State == "complete").ToList();
        var failed = tasks.Where(t => t.Status.State is "failed" or "rejected" && t.Status.Err is not null).ToList();
        var mode = svc.Spec.Mode;
        var oneShot = mode.ReplicatedJob is not null || mode.GlobalJob is not null || svc.Spec.TaskTemplate.RestartPolicy?.Condition == "none";
        long want = mode.Replicated?.Replicas ?? (mode.Global is not null ? Math.Max(1, running.Count) : 1);

        bool done;
        string detail;
        if (want == 0)
        {
            done = running.Count == 0;
            detail = done ? "scaled to 0" : $"{running.Count} task(s) still running, 0 wanted";
        }
        else if (oneShot && complete.Count >= want && running.Count == 0)
        {
            done = true;
            detail = $"one-shot: {complete.Count}/{want} complete";
        }
        else
        {
            done = running.Count >= want;
            detail = $"{running.Count}/{want} running on the current spec";
        }

        if (done && update is { State: not "completed" } && update.State is not null)
            done = false; // an update of ours exists and has not said completed
        if (done)
        {
            saw(update?.CompletedAt ?? running.Concat(complete).Select(t => (DateTimeOffset?)t.Status.Timestamp).Max());
            return new ServiceState(shortName, ConvergenceOutcome.Converged, detail, update?.State, null);
        }

        if (failed.Count >= FailedTaskLimit && running.Count == 0)
        {
            var last = failed.MaxBy(t => t.Status.Timestamp)!;
            saw(last.Status.Timestamp);
            return new ServiceState(shortName, ConvergenceOutcome.Failed,
                $"{failed.Count} tasks on the current spec failed and none runs", update?.State, TaskFailure.Describe(last));
        }
        var latest = tasks.MaxBy(t => t.Status.Timestamp);
        var now = latest is null ? "" : $" (latest task {latest.Status.State}{(latest.Status.Err is { } e ? ": " + e : "")})";
        return new ServiceState(shortName, null, detail + now, update?.State, latest?.Status.Err);
    }

    private async Task<(string? Error, DateTimeOffset? At)> LastTaskErrorAsync(string service, CancellationToken ct)
    {
        var tasks = await docker.TasksAsync(service, upToDate: false, ct);
        var failed = tasks.Where(t => t.Status.Err is not null || t.Status.State is "failed" or "rejected")
            .MaxBy(t => t.Status.Timestamp);
        return failed is null ? (null, null) : (TaskFailure.Describe(failed), failed.Status.Timestamp);
    }

    internal static ConvergenceOutcome? Decide(IReadOnlyList<ServiceState> states)
    {
        foreach (var outcome in new[] { ConvergenceOutcome.RolledBack, ConvergenceOutcome.Paused, ConvergenceOutcome.Failed })
            if (states.Any(s => s.Outcome == outcome)) return outcome;
        return states.All(s => s.Outcome == ConvergenceOutcome.Converged) ? ConvergenceOutcome.Converged : null;
    }

    private static string Describe(ServiceState s) => $"{s.Service}: {s.Detail}" + (s.TaskError is { } e ? $" [task error: {e}]" : "");

    internal static string Summarize(ConvergenceOutcome outcome, IReadOnlyList<ServiceState> states) => outcome switch
    {
        ConvergenceOutcome.Converged => "all services converged: " + string.Join("; ", states.Select(s => $"{s.Service} {s.Detail}")),
        _ => string.Join("; ", states.Where(s => s.Outcome == outcome).Select(Describe)),
    };
}
