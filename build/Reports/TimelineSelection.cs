using RecipeCi.Results;


namespace RecipeCi.Reports;

/// <summary>What a marker says, which its colour shows: the harness acted, removed the stack, judged that something held or did not, or refused a deploy.</summary>
public enum MarkerKind
{
    Action,
    Removal,
    Held,
    NotHeld,
    Refusal,
    /// <summary>A decision recorded before decisions said whether they held.</summary>
    Decision,
}

/// <summary>
/// What the run page's timeline draws of a run's events: a lane per service with its update
/// states and its tasks' states, the harness's actions and decisions as markers, and which
/// states the legend names. No positions (<see cref="TimelineGeometry"/>), no markup (<see cref="TimelineMarkup"/>).
/// </summary>
public static class TimelineSelection
{
    /// <summary>The lane of the harness's own events: drawn as markers across the service lanes, not as a lane.</summary>
    public const string HarnessLane = "harness";

    /// <summary>The update state swarm reports when an update finished: it says nothing of the tasks that fail after it.</summary>
    public const string Completed = "completed";

    /// <summary>The services' lanes, in name order.</summary>
    public static IReadOnlyList<string> Lanes(IEnumerable<TimelineEvent> events) =>
        [.. events.Where(e => e.Lane != HarnessLane).Select(e => e.Lane).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>A service's update states, in order: each a band until the next.</summary>
    public static IReadOnlyList<TimelineEvent> Updates(IEnumerable<TimelineEvent> events, string lane) =>
        [.. events.Where(e => e.Lane == lane && e.Kind == TimelineKind.Update)];

    /// <summary>A service's tasks, in the order they first appear, each with its states in order: a row of bars per task.</summary>
    public static IReadOnlyList<IReadOnlyList<TimelineEvent>> Tasks(IEnumerable<TimelineEvent> events, string lane) =>
        [.. events.Where(e => e.Lane == lane && e.Kind == TimelineKind.Task).GroupBy(e => e.Task).Select(task => (IReadOnlyList<TimelineEvent>)[.. task])];

    /// <summary>The harness's actions and decisions, numbered in this order on the page.</summary>
    public static IReadOnlyList<TimelineEvent> Markers(IEnumerable<TimelineEvent> events) =>
        [.. events.Where(e => e.Kind is TimelineKind.Action or TimelineKind.Decision)];

    /// <summary>When the harness removed the stack (before a cold install): what ran on it ends there.</summary>
    public static IReadOnlyList<DateTimeOffset> Removals(IEnumerable<TimelineEvent> events) =>
        [.. events.Where(e => e is { Kind: TimelineKind.Action, State: TimelineEvent.Removed }).Select(e => e.At)];

    /// <summary>When a service's tasks failed or were rejected, in order.</summary>
    public static IReadOnlyList<DateTimeOffset> Failures(IEnumerable<TimelineEvent> events, string lane) =>
        [.. events.Where(e => e.Lane == lane && e.Kind == TimelineKind.Task && Fails(e.State)).Select(e => e.At).Order()];

    /// <summary>Whether a task state is a failure, drawn so that it is never a sliver.</summary>
    public static bool Fails(string state) => state is "failed" or "rejected";

    /// <summary>What a harness event says, as its marker shows it.</summary>
    public static MarkerKind KindOf(TimelineEvent e) => (e.Kind, e.State) switch
    {
        (TimelineKind.Action, TimelineEvent.Removed) => MarkerKind.Removal,
        (TimelineKind.Action, _) => MarkerKind.Action,
        (_, TimelineEvent.Held) => MarkerKind.Held,
        (_, TimelineEvent.NotHeld) => MarkerKind.NotHeld,
        (_, TimelineEvent.Refused) => MarkerKind.Refusal,
        _ => MarkerKind.Decision,
    };

    /// <summary>Whether a task's last state goes on until the stack is removed or the timeline ends; any other last state is a short tick.</summary>
    public static bool Lasts(string state) => state is "running" or "starting";
}
