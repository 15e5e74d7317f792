namespace RecipeCi.Swarm;

public enum ConvergenceOutcome
{
    Converged,
    /// <summary>Swarm rolled the update back (rollback_started, rollback_completed or rollback_paused in our window).</summary>
    RolledBack,
    /// <summary>The update paused (update_config.failure_action: pause): it will stay so, it is not "in progress".</summary>
    Paused,
    /// <summary>Every new task fails: waiting longer would only burn the budget.</summary>
    Failed,
    TimedOut,
}

/// <summary>Where one service stands, in words a maintainer can act on.</summary>
public sealed record ServiceState(string Service, ConvergenceOutcome? Outcome, string Detail, SwarmState<UpdateState>? UpdateState, string? TaskError)
{
    /// <summary>Swarm's own timestamp of the change this state reports (UpdateStatus, service or task times).</summary>
    public DateTimeOffset? SwarmAt { get; init; }
    /// <summary>Why the service's tasks failed, when they did.</summary>
    public FailureCategory? Category { get; init; }
    /// <summary>The failed task's container exit code, when it exited non-zero.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The failure, typed, when the service's tasks failed.</summary>
    public FailedService? Failure => Category is { } c ? new FailedService(Service, c, ExitCode) { Error = TaskError } : null;
}

/// <summary>A service whose tasks failed: why, and the exit code when there is one (results.json keeps it per stage).</summary>
public sealed record FailedService(string Service, FailureCategory Category, int? ExitCode)
{
    /// <summary>Swarm's error of the failed task, as the run page shows it once under the headline.</summary>
    public string? Error { get; init; }

    /// <summary>"app exit 3", "app healthcheck failing": the failure in a few words.</summary>
    public string Brief => ExitCode is { } code && Category is FailureCategory.ExitCode or FailureCategory.Killed
        ? $"{Service} exit {code}"
        : $"{Service} {Category.Words()}";
}

/// <summary>
/// The judgement on one deploy, with what it was based on and how long after swarm's own change
/// the harness noticed (<see cref="DetectionLag"/>).
/// </summary>
public sealed record ConvergenceVerdict(
    ConvergenceOutcome Outcome,
    string Summary,
    IReadOnlyList<ServiceState> Services,
    DateTimeOffset StartedAt,
    DateTimeOffset DecidedAt,
    DateTimeOffset? SwarmChangedAt,
    int Evaluations,
    int EventsSeen)
{
    public TimeSpan? DetectionLag => SwarmChangedAt is { } t ? DecidedAt - t : null;
    public IEnumerable<ServiceState> Offending => Services.Where(s => s.Outcome is not null and not ConvergenceOutcome.Converged);
}
