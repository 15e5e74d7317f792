using System.Globalization;

namespace RecipeCi.Results;

/// <summary>
/// What a run ran with (results.json's <c>environment</c>): the harness's own commit ("unknown"
/// outside a git checkout), docker's server version, abra's (<c>abra --version</c> of the real
/// abra, or "local driver"), the host's total memory and the free disk under docker's root.
/// </summary>
public sealed record RunEnvironment(string HarnessCommit, string Docker, string Abra, long? MemoryTotalMb, long? DiskFreeMb, string? DiskPath)
{
    /// <summary>Free disk that moved by less than this share of the larger figure is the same machine filling a little.</summary>
    public const double DiskTolerance = 0.10;

    /// <summary>
    /// What differs from <paramref name="green"/> to <paramref name="now"/>, one line each, in the
    /// block's order; free disk only when it moved by more than <see cref="DiskTolerance"/>.
    /// </summary>
    public static IReadOnlyList<string> Differences(RunEnvironment green, RunEnvironment now)
    {
        var lines = new List<string>();
        void Compare(string what, string? then, string? today)
        {
            if (!string.Equals(then, today, StringComparison.Ordinal)) lines.Add($"{what}: {then ?? "unknown"} → {today ?? "unknown"}");
        }
        Compare("harness commit", Short(green.HarnessCommit), Short(now.HarnessCommit));
        Compare("docker", green.Docker, now.Docker);
        Compare("abra", green.Abra, now.Abra);
        Compare("memory", Mb(green.MemoryTotalMb), Mb(now.MemoryTotalMb));
        if (green.DiskFreeMb is { } before && now.DiskFreeMb is { } after
                ? Math.Abs(before - after) > DiskTolerance * Math.Max(before, after)
                : green.DiskFreeMb != now.DiskFreeMb)
            Compare($"free disk under {now.DiskPath ?? green.DiskPath ?? "docker's root"}", Mb(green.DiskFreeMb), Mb(now.DiskFreeMb));
        return lines;
    }

    private static string Short(string commit) => commit.Length == 40 ? commit[..12] : commit;

    private static string? Mb(long? mb) => mb is { } value ? value.ToString(CultureInfo.InvariantCulture) + " MB" : null;
}

/// <summary>
/// A red run against the recipe's last green one: which run and when, what differs in the
/// environment (null when the green run's was not recorded), and the recipe's commits between the
/// green run's ref and this one's (newest first, at most <see cref="MaxCommits"/>), or why they are unknown.
/// </summary>
public sealed record SinceGreen(string RunId, DateTimeOffset At, IReadOnlyList<string>? Environment, IReadOnlyList<string> Commits, string? CommitsUnknown)
{
    public const int MaxCommits = 20;

    /// <summary>"since the last green (run, date)": the heading both the run page and the PR comment use.</summary>
    public string Heading => $"since the last green ({RunId}, {At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";

    /// <summary>The lines under the heading, as text; the pages encode them.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Environment is null ? "environment: not recorded"
            : Environment.Count == 0 ? "environment: the same" : $"environment: {string.Join("; ", Environment)}";
        yield return CommitsUnknown is not null ? $"recipe commits: {CommitsUnknown}"
            : Commits.Count == 0 ? "recipe commits: none (the same ref)"
            : $"recipe commits ({Commits.Count}{(Commits.Count >= MaxCommits ? $", the newest {MaxCommits}" : "")}):";
        foreach (var c in CommitsUnknown is null ? Commits : []) yield return "  " + c;
    }
}
