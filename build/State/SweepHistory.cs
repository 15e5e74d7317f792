using RecipeCi.Verdicts;

namespace RecipeCi.State;

/// <summary>How one sweep that ran a recipe ended: a cell of the recipe's history strip.</summary>
public sealed record SweepHistoryEntry(string SweepId, DateTimeOffset At, Verdict Verdict, int Level, string? Version)
{
    /// <summary>What the isolation re-runs said of a red verdict; null when it was not re-run.</summary>
    public Classification? Classification { get; init; }

    /// <summary>The custom checks that passed in that sweep; null in entries written before they were recorded.</summary>
    public IReadOnlyList<string>? PassedChecks { get; init; }
}

/// <summary>
/// <c>history/&lt;recipe&gt;.json</c> in the state folder: every sweep that ran the recipe, oldest
/// first. Append-only: a sweep adds its entry, and only replaces the entry it wrote itself (its
/// isolation re-runs classified the verdict afterwards), so one sweep is one cell.
/// </summary>
public sealed record SweepHistory(string Recipe, IReadOnlyList<SweepHistoryEntry> Sweeps)
{
    /// <summary>How many sweeps the strip shows.</summary>
    public const int StripLength = 12;

    /// <summary>The history with this sweep's entry: appended, or in place of the same sweep's earlier entry, keeping its date.</summary>
    public SweepHistory With(SweepHistoryEntry entry) =>
        this with
        {
            Sweeps = Sweeps.Any(e => e.SweepId == entry.SweepId)
                ? [.. Sweeps.Select(e => e.SweepId == entry.SweepId ? entry with { At = e.At } : e)]
                : [.. Sweeps, entry],
        };

    /// <summary>
    /// The <paramref name="failed"/> checks no sweep of the recipe ever saw pass, on any release:
    /// perhaps the check, not the recipe, is wrong (it tests what no release has yet, or has no more).
    /// </summary>
    public IReadOnlyList<string> NeverPassed(IEnumerable<string> failed) =>
        [.. failed.Where(name => !Sweeps.Any(e => e.PassedChecks?.Contains(name) == true))];

    /// <summary>The newest sweeps that ran the recipe, oldest first: the strip's cells.</summary>
    public IReadOnlyList<SweepHistoryEntry> Strip() => [.. Sweeps.TakeLast(StripLength)];
}
