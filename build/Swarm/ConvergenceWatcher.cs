using System.Threading.Channels;
using CliWrap;
using CliWrap.EventStream;
using Newtonsoft.Json;

namespace RecipeCi.Swarm;

/// <summary>What to judge: the services one deploy declared, the stack as it was before it, the labels it set.</summary>
public sealed record ConvergenceRequest(string Stack, IReadOnlyList<string> Services, TimeSpan Budget)
{
    public StackSnapshot Before { get; init; } = StackSnapshot.Empty;

    /// <summary>Per service, the labels the deploy put on its spec; a spec without them is not this deploy.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Labels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public string FullName(string service) => $"{Stack}_{service}";
}

/// <summary>
/// Decides whether one deploy of a stack converged, rolled back, paused, failed or ran out of
/// time. Judges only this deploy: services are compared with a <see cref="StackSnapshot"/> taken
/// before it, and only tasks on the current spec count (old tasks still serving under start-first
/// are not convergence). Re-evaluates on every swarm event for the stack, with a polling fallback,
/// and records how long after swarm's own timestamp of the change it decided.
/// </summary>
public sealed class ConvergenceWatcher(DockerCli docker)
{
    /// <summary>Failed tasks on the current spec, with none running, after which waiting is pointless.</summary>
    public int FailedTaskLimit { get; init; } = 3;
    /// <summary>How long a task may wait for a node before "no suitable node" counts as final.</summary>
    public TimeSpan UnschedulableGrace { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);
    public Action<string>? Progress { get; init; }

    public async Task<ConvergenceVerdict> WaitAsync(ConvergenceRequest request, CancellationToken ct)
    {
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
                var states = await EvaluateAsync(request, ct);
                evaluations++;
                var now = DateTimeOffset.UtcNow;
                if (Decide(states) is { } decided)
                    return new ConvergenceVerdict(decided, Summarize(decided, states), states, started, now, ChangedAt(decided, states), evaluations, events);
                if (now >= deadline)
                    return new ConvergenceVerdict(ConvergenceOutcome.TimedOut,
                        $"not converged after {request.Budget.TotalSeconds:0}s, still pending: " + Pending(states),
                        states, started, now, null, evaluations, events);
                if (now - lastProgress >= ProgressInterval)
                {
                    lastProgress = now;
                    Progress?.Invoke($"waiting for {request.Stack} ({(now - started).TotalSeconds:0}s of {request.Budget.TotalSeconds:0}s): {Pending(states)}");
                }
                using var nap = CancellationTokenSource.CreateLinkedTokenSource(ct);
                nap.CancelAfter(deadline - now < PollInterval ? deadline - now : PollInterval);
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
        { Type: "service" } => e.Attribute("name") is { } n && (services.Contains(n) || n.StartsWith(stack + "_", StringComparison.Ordinal)),
        // Healthcheck execs fire every interval and change nothing swarm reports.
        { Type: "container" } => e.Attribute(DockerCli.StackLabel) == stack && !e.Action.StartsWith("exec_", StringComparison.Ordinal),
        _ => false,
    };

    internal async Task<List<ServiceState>> EvaluateAsync(ConvergenceRequest request, CancellationToken ct)
    {
        var live = (await docker.ServicesAsync(request.Services.Select(request.FullName).ToList(), ct)).ToDictionary(s => s.Name);
        var tasks = (await docker.TasksAsync(live.Keys.ToList(), upToDate: true, ct)).ToLookup(t => t.ServiceID);
        var states = new List<ServiceState>();
        foreach (var service in request.Services)
            states.Add(live.TryGetValue(request.FullName(service), out var svc)
                ? await JudgeAsync(service, svc, tasks[svc.ID].ToList(), request, ct)
                : new ServiceState(service, null, "not created yet", null, null));
        return states;
    }

    private async Task<ServiceState> JudgeAsync(string service, ServiceInfo svc, List<TaskInfo> current, ConvergenceRequest request, CancellationToken ct)
    {
        var update = request.Before.IsStale(svc) ? null : svc.UpdateStatus;
        switch (update?.State)
        {
            case "rollback_started" or "rollback_completed" or "rollback_paused":
            {
                var failure = await LastFailureAsync(svc.Name, ct);
                return new ServiceState(service, ConvergenceOutcome.RolledBack,
                    $"swarm {update.State.Replace('_', ' ')}: {update.Message}", update.State, failure?.Text)
                {
                    // rollback_started moves only the service's UpdatedAt; the finished rollback has its own time.
                    SwarmAt = update.State == "rollback_completed" ? update.CompletedAt : svc.UpdatedAt,
                    Category = failure?.Category,
                };
            }
            case "paused":
            {
                var failure = await LastFailureAsync(svc.Name, ct);
                return new ServiceState(service, ConvergenceOutcome.Paused, $"update paused: {update.Message}", update.State, failure?.Text)
                    { SwarmAt = svc.UpdatedAt, Category = failure?.Category };
            }
        }

        if (LabelMismatch(svc, request.Labels.GetValueOrDefault(service)) is { } mismatch)
            // The deploy wrote the spec before the wait began; a spec without its labels is someone else's.
            return new ServiceState(service, ConvergenceOutcome.Failed, mismatch, update?.State, null) { SwarmAt = svc.UpdatedAt };

        return await JudgeTasksAsync(service, svc, update, current, request.Before, ct);
    }

    private static string? LabelMismatch(ServiceInfo svc, IReadOnlyDictionary<string, string>? expected)
    {
        var wrong = (expected ?? new Dictionary<string, string>())
            .Where(kv => svc.Spec.Labels.GetValueOrDefault(kv.Key) != kv.Value)
            .Select(kv => $"{kv.Key}={svc.Spec.Labels.GetValueOrDefault(kv.Key) ?? "(absent)"} (deployed: {kv.Value})")
            .ToList();
        return wrong.Count == 0 ? null : "the spec does not carry the deployed labels: " + string.Join(", ", wrong);
    }

    private async Task<ServiceState> JudgeTasksAsync(string service, ServiceInfo svc, UpdateStatus? update, List<TaskInfo> tasks,
        StackSnapshot before, CancellationToken ct)
    {
        var mode = svc.Spec.Mode;
        var oneShot = mode.ReplicatedJob is not null || mode.GlobalJob is not null
            || svc.Spec.TaskTemplate.RestartPolicy?.Condition is "none" or "on-failure";
        var reported = tasks.Where(t => t is { DesiredState: "running", Status.State: "running" }).ToList();
        var complete = tasks.Where(t => t.Status.State == "complete").ToList();
        long want = mode.Replicated?.Replicas ?? (mode.Global is not null ? Math.Max(1, reported.Count) : 1);
        var running = reported.Count >= want ? await ServingAsync(svc, reported, ct) : reported;

        // Scaled down, a task keeps running (desired "remove" or "shutdown") until it has stopped.
        var alive = tasks.Count(t => t.Status.State is "running" or "starting" or "preparing" or "assigned" or "accepted" or "ready");
        var (done, detail) = want switch
        {
            0 => (alive == 0, alive == 0 ? "scaled to 0" : $"{alive} task(s) still stopping, 0 wanted"),
            _ when oneShot && complete.Count >= want && running.Count == 0 => (true, $"one-shot: {complete.Count}/{want} complete"),
            _ => (running.Count >= want, $"{running.Count}/{want} running on the current spec"
                + (reported.Count > running.Count ? $" ({reported.Count - running.Count} more started, not yet healthy or stable for {StableWindow(svc).TotalSeconds:0.#}s)" : "")),
        };
        if (update is { State: not null and not "completed" })
        {
            done = false; // an update of ours exists and has not said completed
            detail += $", update {update.State}";
        }
        if (done)
            return new ServiceState(service, ConvergenceOutcome.Converged, detail, update?.State, null)
                { SwarmAt = ConvergedAt(svc, update, running.Concat(complete), before) };

        if (running.Count == 0 && await HopelessAsync(tasks, oneShot, ct) is { } failure)
            return new ServiceState(service, ConvergenceOutcome.Failed, failure.Why, update?.State, failure.Task.Text)
                { SwarmAt = failure.Task.At, Category = failure.Task.Category };

        var latest = tasks.MaxBy(t => t.Status.Timestamp);
        var now = latest is null ? "" : $" (latest task {latest.Status.State}{(latest.Status.Err is { } e ? ": " + e : "")})";
        return new ServiceState(service, null, detail + now, update?.State, latest?.Status.Err);
    }

    /// <summary>
    /// The "running" tasks whose container really serves. Swarm marks a task running once starting
    /// it returned, and a container stopped for failing its healthcheck that exits 0 makes it return:
    /// the task shows running for a moment before it completes. Without a healthcheck, running says
    /// only that the process started, so such a task counts once it has lasted the service's update
    /// monitor (swarm's own "stable" window; 5 s by default), as the docker CLI waits on a create.
    /// </summary>
    private async Task<List<TaskInfo>> ServingAsync(ServiceInfo svc, List<TaskInfo> running, CancellationToken ct)
    {
        var stableFor = StableWindow(svc);
        var serving = new List<TaskInfo>();
        foreach (var t in running)
        {
            var container = t.Status.ContainerStatus?.ContainerID is { Length: > 0 } id ? await docker.ContainerStateAsync(id, ct) : null;
            if (Serves(container, DateTimeOffset.UtcNow - t.Status.Timestamp, stableFor)) serving.Add(t);
        }
        return serving;
    }

    internal static TimeSpan StableWindow(ServiceInfo svc) =>
        svc.Spec.UpdateConfig?.Monitor is > 0 and var ns ? TimeSpan.FromTicks(ns / 100) : TimeSpan.FromSeconds(5);

    /// <summary>A container this node cannot inspect (another node's) is taken on swarm's word.</summary>
    internal static bool Serves(ContainerState? container, TimeSpan runningFor, TimeSpan stableFor) => container switch
    {
        null => true,
        { Status: not "running" } => false,
        { Health: { } health } => health.Status == "healthy",
        _ => runningFor >= stableFor,
    };

    /// <summary>
    /// Swarm's own time of the change that made the service converged: the update's CompletedAt,
    /// else the spec change or the newest task start. A service this deploy did not change has none.
    /// </summary>
    private static DateTimeOffset? ConvergedAt(ServiceInfo svc, UpdateStatus? update, IEnumerable<TaskInfo> tasks, StackSnapshot before)
    {
        if (update?.CompletedAt is { } completed) return completed;
        if (before.Services.TryGetValue(svc.Name, out var was) && was.Version.Index == svc.Version.Index) return null;
        return tasks.Select(t => t.Status.Timestamp).Append(svc.UpdatedAt).Max();
    }

    /// <summary>
    /// When every task on the current spec has failed (enough times, or once in a way no retry
    /// fixes) or cannot be placed, the deploy is lost: say why instead of spending the budget.
    /// </summary>
    private async Task<(string Why, TaskFailure Task)?> HopelessAsync(List<TaskInfo> tasks, bool oneShot, CancellationToken ct)
    {
        // A long-running service's task that ended, even with exit 0, is a failed attempt.
        var failed = tasks.Where(t => t.Status.State is "failed" or "rejected" || (!oneShot && t.Status.State == "complete")).ToList();
        var waiting = tasks.Except(failed).Where(t => t.DesiredState == "running").ToList();
        var unschedulable = waiting.Where(t => t.Status.State == "pending" && t.Status.Err is not null
            && DateTimeOffset.UtcNow - t.CreatedAt >= UnschedulableGrace).ToList();
        if (waiting.Count > 0 && unschedulable.Count == waiting.Count)
        {
            var stuck = await DescribeAsync(unschedulable.MaxBy(t => t.Status.Timestamp)!, ct);
            return ($"{unschedulable.Count} task(s) on the current spec cannot be placed: {stuck.Text}", stuck);
        }
        // Under restart churn a replacement is nearly always preparing: judge by what failed, not by it.
        if (failed.Count == 0) return null;
        var last = await DescribeAsync(failed.MaxBy(t => t.Status.Timestamp)!, ct);
        return failed.Count >= FailedTaskLimit || last.Hopeless
            ? ($"{failed.Count} task(s) on the current spec failed and none runs: {last.Text}", last)
            : null;
    }

    private async Task<TaskFailure> DescribeAsync(TaskInfo task, CancellationToken ct) =>
        TaskFailure.Describe(task, task.Status.ContainerStatus?.ContainerID is { Length: > 0 } id ? await docker.ContainerStateAsync(id, ct) : null);

    /// <summary>The newest task of the service (any spec) that failed or ended: why swarm rolled back or paused.</summary>
    private async Task<TaskFailure?> LastFailureAsync(string service, CancellationToken ct)
    {
        var tasks = await docker.TasksAsync(service, upToDate: false, ct);
        var failed = tasks.Where(t => t.Status.Err is not null || t.Status.State is "failed" or "rejected" or "complete")
            .MaxBy(t => t.Status.Timestamp);
        return failed is null ? null : await DescribeAsync(failed, ct);
    }

    internal static ConvergenceOutcome? Decide(IReadOnlyList<ServiceState> states)
    {
        foreach (var outcome in new[] { ConvergenceOutcome.RolledBack, ConvergenceOutcome.Paused, ConvergenceOutcome.Failed })
            if (states.Any(s => s.Outcome == outcome)) return outcome;
        return states.All(s => s.Outcome == ConvergenceOutcome.Converged) ? ConvergenceOutcome.Converged : null;
    }

    /// <summary>Converged: the last service's change. Otherwise the first change that decided it.</summary>
    internal static DateTimeOffset? ChangedAt(ConvergenceOutcome outcome, IReadOnlyList<ServiceState> states)
    {
        var times = states.Where(s => s.Outcome == outcome && s.SwarmAt is not null).Select(s => s.SwarmAt!.Value).ToList();
        if (times.Count == 0) return null;
        return outcome == ConvergenceOutcome.Converged ? times.Max() : times.Min();
    }

    private static string Describe(ServiceState s) => $"{s.Service}: {s.Detail}" + (s.TaskError is { } e ? $" [task error: {e}]" : "");

    private static string Pending(IReadOnlyList<ServiceState> states) => string.Join("; ", states.Where(s => s.Outcome is null).Select(Describe));

    internal static string Summarize(ConvergenceOutcome outcome, IReadOnlyList<ServiceState> states)
    {
        if (outcome == ConvergenceOutcome.Converged)
            return "all services converged: " + string.Join("; ", states.Select(s => $"{s.Service} {s.Detail}"));
        var others = states.Where(s => s.Outcome != outcome).Select(s => $"{s.Service} {s.Detail}").ToList();
        return string.Join("; ", states.Where(s => s.Outcome == outcome).Select(Describe))
               + (others.Count == 0 ? "" : $" (the other services: {string.Join("; ", others)})");
    }
}
