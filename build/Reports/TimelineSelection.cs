using RecipeCi.Results;


namespace RecipeCi.Reports;

/// <summary>
/// What the run page's timeline draws of a run's events: a lane per service with its update
/// states and its tasks' states, the harness's actions and decisions as markers, and which
/// states the legend names. No positions (<see cref="TimelineGeometry"/>), no markup (<see cref="TimelineMarkup"/>).
/// </summary>
public static class TimelineSelection
{
    /// <summary>The lane of the harness's own events: drawn as markers across the service lanes, not as a lane.</summary>
    public const string HarnessLane = "harness";

    /// <summary>The task states the legend shows a swatch of: the ones a reader meets on most timelines.</summary>
    public static readonly IReadOnlyList<string> LegendTaskStates = ["pending", "starting", "running", "complete", "failed", "shutdown"];

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

    /// <summary>Whether a task's last state goes on until the stack is removed or the timeline ends; any other last state is a short tick.</summary>
    public static bool Lasts(string state) => state is "running" or "starting";
}
