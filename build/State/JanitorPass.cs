using Newtonsoft.Json;

namespace RecipeCi.State;

/// <summary>
/// One janitor pass in brief, as the Janitor target's console and a sweep's summary give it; the
/// whole pass is in its report. <see cref="Report"/> is where the report was written (a sweep
/// keeps it relative to its own folder, as it links evidence), null when the pass failed before.
/// </summary>
/// <param name="Leaked">Reaped stacks of which something could not be removed.</param>
public sealed record JanitorPass(
    int Reaped,
    int Held,
    int StaleLocksRemoved,
    int ReservationsCleared,
    int Skipped,
    int Leaked,
    List<string> Errors,
    double WallS,
    string? Report)
{
    /// <summary>Nothing leaked and everything could be examined, as the janitor's report counts clean.</summary>
    public bool Clean => Errors.Count == 0 && Leaked == 0;

    [JsonIgnore]
    public string Line =>
        $"Janitor: reaped {Reaped}, held (live) {Held}, stale lock files removed {StaleLocksRemoved}, reservations cleared {ReservationsCleared}, " +
        $"skipped {Skipped}, errors {Errors.Count}{(Leaked == 0 ? "" : $", leaked {Leaked}")}{(Clean ? "" : " - NOT CLEAN")}";

    /// <summary>The line, the errors, and where the report is.</summary>
    [JsonIgnore]
    public string Account =>
        $"{Line}{(Errors.Count == 0 ? "" : $" ({string.Join("; ", Errors)})")}; report {Report ?? "none: the pass failed before writing one"}";

    /// <summary>A pass that ended early (the lock folder unreadable, docker gone): its cause is its error, and it wrote no report.</summary>
    public static JanitorPass Failed(Exception cause, TimeSpan wall) =>
        new(0, 0, 0, 0, 0, 0, [$"the janitor pass failed: {cause.GetType().Name}: {cause.Message}"], Math.Round(wall.TotalSeconds, 3), null);
}
