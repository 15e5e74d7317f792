namespace RecipeCi.Swarm;

/// <summary>Where each requested service stands after one look, and the decision that makes (null: keep waiting).</summary>
public sealed record ConvergenceJudgement(IReadOnlyList<ServiceState> Services, ConvergenceOutcome? Outcome)
{
    public string Pending => string.Join("; ", Services.Where(s => s.Outcome is null).Select(Describe));

    public string Summary => Outcome switch
    {
        null => "still pending: " + Pending,
        ConvergenceOutcome.Converged => "all services converged: " + string.Join("; ", Services.Select(s => $"{s.Service} {s.Detail}")),
        var outcome => string.Join("; ", Services.Where(s => s.Outcome == outcome).Select(Describe)) + Others(outcome.Value),
    };

    /// <summary>Converged: the last service's change. Otherwise the first change that decided it.</summary>
    public DateTimeOffset? ChangedAt
    {
        get
        {
            var times = Services.Where(s => s.Outcome == Outcome && s.SwarmAt is not null).Select(s => s.SwarmAt!.Value).ToList();
            if (Outcome is null || times.Count == 0) return null;
            return Outcome == ConvergenceOutcome.Converged ? times.Max() : times.Min();
        }
    }

    private string Others(ConvergenceOutcome outcome)
    {
        var others = Services.Where(s => s.Outcome != outcome).Select(s => $"{s.Service} {s.Detail}").ToList();
        return others.Count == 0 ? "" : $" (the other services: {string.Join("; ", others)})";
    }

    /// <summary>A service's state and, unless its words already quote it (a crash loop's do), its task's error.</summary>
    private static string Describe(ServiceState s) =>
        $"{s.Service}: {s.Detail}" + (s.TaskError is { } e && !s.Detail.Contains(e, StringComparison.Ordinal) ? $" [task error: {e}]" : "");
}

/// <summary>
/// The convergence rules: turns one <see cref="SwarmObservation"/> into per-service states and a
/// decision, with no I/O and no clock but the look's. Judges only this deploy: an UpdateStatus the
/// service already had before it is ignored, and only tasks on the current spec count (old tasks
/// still serving under start-first are not convergence).
/// </summary>
public sealed class ConvergenceJudge
{
    /// <summary>Failed tasks on the current spec, with none running, after which waiting is pointless.</summary>
    public int FailedTaskLimit { get; init; } = 3;
    /// <summary>How long a task may wait for a node before "no suitable node" counts as final.</summary>
    public TimeSpan UnschedulableGrace { get; init; } = TimeSpan.FromSeconds(5);

    public ConvergenceJudgement Judge(ConvergenceRequest request, SwarmObservation look)
    {
        var states = request.Services.Select(service =>
            look.Services.FirstOrDefault(s => s.Name == request.FullName(service)) is { } svc
                ? JudgeService(service, svc, request, look)
                : new ServiceState(service, null, "not created yet", null, null)).ToList();
        return new ConvergenceJudgement(states, Decide(states));
    }

    internal static ConvergenceOutcome? Decide(IReadOnlyList<ServiceState> states)
    {
        foreach (var outcome in new[] { ConvergenceOutcome.RolledBack, ConvergenceOutcome.Paused, ConvergenceOutcome.Failed })
            if (states.Any(s => s.Outcome == outcome)) return outcome;
        return states.All(s => s.Outcome == ConvergenceOutcome.Converged) ? ConvergenceOutcome.Converged : null;
    }

    /// <summary>
    /// True when the service's UpdateStatus is absent or is the one it already had before the
    /// deploy (same start time): an earlier update's completed, paused or rolled-back state.
    /// </summary>
    internal static bool IsStale(ObservedService now, IReadOnlyDictionary<string, ObservedService> before) =>
        now.UpdateStatus is null
        || (before.TryGetValue(now.Name, out var was) && was.UpdateStatus?.StartedAt == now.UpdateStatus.StartedAt);

    private ServiceState JudgeService(string service, ObservedService svc, ConvergenceRequest request, SwarmObservation look)
    {
        var tasks = look.Tasks.Where(t => t.ServiceID == svc.ID).ToList();
        var update = IsStale(svc, look.Before) ? null : svc.UpdateStatus;
        switch (update?.State)
        {
            case { } rollback when rollback.Kind.IsRollback():
            {
                var failure = LastFailure(tasks, look);
                return new ServiceState(service, ConvergenceOutcome.RolledBack,
                    $"swarm {rollback.Text.Replace('_', ' ')}: {update!.Message}", rollback, failure?.Text)
                {
                    // rollback_started moves only the service's UpdatedAt; the finished rollback has its own time.
                    SwarmAt = rollback.Kind == UpdateState.RollbackCompleted ? update.CompletedAt : svc.UpdatedAt,
                    Category = failure?.Category,
                    ExitCode = ExitOf(failure),
                };
            }
            case { Kind: UpdateState.Paused } paused when !svc.OneShot:   // a one-shot's pause is judged by its tasks, below
            {
                var failure = LastFailure(tasks, look);
                return new ServiceState(service, ConvergenceOutcome.Paused, $"update paused: {update!.Message}", paused, failure?.Text)
                    { SwarmAt = svc.UpdatedAt, Category = failure?.Category, ExitCode = ExitOf(failure) };
            }
        }

        if (LabelMismatch(svc, request.Labels.GetValueOrDefault(service)) is { } mismatch)
            // The deploy wrote the spec before the wait began; a spec without its labels is someone else's.
            return new ServiceState(service, ConvergenceOutcome.Failed, mismatch, update?.State, null) { SwarmAt = svc.UpdatedAt };

        var current = tasks.Where(t => look.CurrentSpecTasks.Contains(t.ID)).ToList();
        var known = request.KnownCause is { } cause && cause.Service == service ? cause.Category : (FailureCategory?)null;
        return JudgeTasks(service, svc, update, current, look, known);
    }

    private static string? LabelMismatch(ObservedService svc, IReadOnlyDictionary<string, string>? expected)
    {
        var wrong = (expected ?? new Dictionary<string, string>())
            .Where(kv => svc.Labels.GetValueOrDefault(kv.Key) != kv.Value)
            .Select(kv => $"{kv.Key}={svc.Labels.GetValueOrDefault(kv.Key) ?? "(absent)"} (deployed: {kv.Value})")
            .ToList();
        return wrong.Count == 0 ? null : "the spec does not carry the deployed labels: " + string.Join(", ", wrong);
    }

    private ServiceState JudgeTasks(string service, ObservedService svc, UpdateStatus? update, List<TaskInfo> tasks, SwarmObservation look, FailureCategory? known)
    {
        var reported = tasks.Where(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running }).ToList();
        var complete = tasks.Where(t => t.Status.State.Kind == TaskState.Complete).ToList();
        long want = svc.Replicas ?? (svc.Mode == ServiceModeKind.Global ? Math.Max(1, reported.Count) : 1);
        // Too few started for convergence: all count as running, so the hopeless rule waits for them.
        var running = reported.Count >= want
            ? reported.Where(t => Serves(look.ContainerOf(t), look.ObservedAt - t.Status.Timestamp, svc.StableWindow)).ToList()
            : reported;

        // Scaled down, a task keeps running (desired "remove" or "shutdown") until it has stopped.
        var alive = tasks.Count(t => t.Status.State.Kind is TaskState.Running or TaskState.Starting or TaskState.Preparing
            or TaskState.Assigned or TaskState.Accepted or TaskState.Ready);
        // Swarm (20.10) pauses the update of a one-shot service whose new task ends inside
        // update_config.monitor, exit 0 or not: UpdateStatus.State "paused", Message "update paused due
        // to failure or early termination of task <id>". It starts no further task of that update, so
        // the tasks that ran decide: complete (exit 0) is converged, a non-zero exit failed (Hopeless).
        var endedEarly = svc.OneShot && update?.State?.Kind == UpdateState.Paused;
        var (done, detail) = want switch
        {
            0 => (alive == 0, alive == 0 ? "scaled to 0" : $"{alive} task(s) still stopping, 0 wanted"),
            _ when svc.OneShot && complete.Count >= want && running.Count == 0 => (true, $"one-shot: {complete.Count}/{want} complete"),
            _ => (running.Count >= want, $"{running.Count}/{want} running on the current spec"
                + (reported.Count > running.Count ? $" ({reported.Count - running.Count} more started, not yet healthy or stable for {svc.StableWindow.TotalSeconds:0.#}s)" : "")),
        };
        if (endedEarly)
            detail += ", update paused for its early end";
        else if (update?.State is { Kind: not UpdateState.Completed } unfinished)
        {
            done = false; // an update of ours exists and has not said completed
            detail += $", update {unfinished.Text}";
        }
        if (done)
            return new ServiceState(service, ConvergenceOutcome.Converged, detail, update?.State, null)
                { SwarmAt = ConvergedAt(svc, update, running.Concat(complete), look.Before) };

        if (running.Count == 0 && Hopeless(tasks, svc.OneShot, look, known) is { } failure)
            return new ServiceState(service, ConvergenceOutcome.Failed, failure.Why, update?.State, failure.Task.Text)
                { SwarmAt = failure.Task.At, Category = failure.Task.Category, ExitCode = ExitOf(failure.Task) };

        var latest = tasks.MaxBy(t => t.Status.Timestamp);
        var now = latest is null ? "" : $" (latest task {latest.Status.State}{(latest.Status.Err is { } e ? ": " + e : "")})";
        return new ServiceState(service, null, detail + now, update?.State, latest?.Status.Err);
    }

    /// <summary>
    /// Whether a task swarm calls running really serves. Swarm marks a task running once starting
    /// it returned, and a container stopped for failing its healthcheck that exits 0 makes it return:
    /// the task shows running for a moment before it completes. Without a healthcheck, running says
    /// only that the process started, so such a task counts once it has lasted the service's update
    /// monitor (swarm's own "stable" window), as the docker CLI waits on a create. A container this
    /// node cannot inspect (another node's) is taken on swarm's word.
    /// </summary>
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
    private static DateTimeOffset? ConvergedAt(ObservedService svc, UpdateStatus? update, IEnumerable<TaskInfo> tasks,
        IReadOnlyDictionary<string, ObservedService> before)
    {
        if (update?.CompletedAt is { } completed) return completed;
        if (before.TryGetValue(svc.Name, out var was) && was.Version == svc.Version) return null;
        return tasks.Select(t => t.Status.Timestamp).Append(svc.UpdatedAt).Max();
    }

    /// <summary>
    /// When every task on the current spec has failed (enough times, or once in a way no retry
    /// fixes, or once the way <paramref name="known"/> says this head already failed) or cannot be
    /// placed, the deploy is lost: say why instead of spending the budget.
    /// </summary>
    private (string Why, TaskFailure Task)? Hopeless(List<TaskInfo> tasks, bool oneShot, SwarmObservation look, FailureCategory? known)
    {
        // A long-running service's task that ended, even with exit 0, is a failed attempt.
        var failed = tasks.Where(t => t.Status.State.Kind is TaskState.Failed or TaskState.Rejected
            || (!oneShot && t.Status.State.Kind == TaskState.Complete)).ToList();
        var waiting = tasks.Except(failed).Where(t => t.DesiredState.Kind == TaskState.Running).ToList();
        var unschedulable = waiting.Where(t => t.Status.State.Kind == TaskState.Pending && t.Status.Err is not null
            && look.ObservedAt - t.CreatedAt >= UnschedulableGrace).ToList();
        if (waiting.Count > 0 && unschedulable.Count == waiting.Count)
        {
            var stuck = Describe(unschedulable.MaxBy(t => t.Status.Timestamp)!, look);
            return ($"{unschedulable.Count} task(s) on the current spec cannot be placed: {stuck.Text}", stuck);
        }
        // Under restart churn a replacement is nearly always preparing: judge by what failed, not by it.
        if (failed.Count == 0) return null;
        var last = Describe(failed.MaxBy(t => t.Status.Timestamp)!, look);
        // A one-shot's task ran to its end: its exit code is the job's answer.
        if (oneShot && last.ExitCode != 0) return ($"one-shot task exited with code {last.ExitCode}: {last.Text}", last);
        if (last.Category == known)
            return ($"a task on the current spec failed as the upgrade's did before swarm rolled it back ({known.Value.Words()}): its retries are not awaited: {last.Text}", last);
        return failed.Count >= FailedTaskLimit || last.Hopeless
            ? ($"{failed.Count} task(s) on the current spec failed and none runs: {last.Text}", last)
            : null;
    }

    private static int? ExitOf(TaskFailure? failure) => failure is { ExitCode: not 0 } ? failure.ExitCode : null;

    private static TaskFailure Describe(TaskInfo task, SwarmObservation look) => TaskFailure.Describe(task, look.ContainerOf(task));

    /// <summary>The newest task of the service (any spec) that failed or ended: why swarm rolled back or paused.</summary>
    private static TaskFailure? LastFailure(List<TaskInfo> tasks, SwarmObservation look)
    {
        var failed = tasks.Where(t => t.Status.Err is not null || t.Status.State.Kind is TaskState.Failed or TaskState.Rejected or TaskState.Complete)
            .MaxBy(t => t.Status.Timestamp);
        return failed is null ? null : Describe(failed, look);
    }
}
