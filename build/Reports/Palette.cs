using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>What an outcome says on a page, whichever enum it comes from: each tone has one pale and one strong colour.</summary>
public enum Tone
{
    Pass,
    /// <summary>A finding about the recipe.</summary>
    Fail,
    /// <summary>The harness or its machine broke: as red as a failure in a large cell, grey in a small one.</summary>
    Error,
    /// <summary>Not known to be good: should have run and did not, or red in the sweep and green alone.</summary>
    Doubt,
    /// <summary>Could not run for what the recipe lacks.</summary>
    Gap,
    /// <summary>Intentionally not run.</summary>
    Skip,
}

/// <summary>
/// The one palette of every page. Each member of the outcome enums gets its tone here, and its CSS
/// class is its word (<c>rolled_back</c>, <c>unver</c>), so no page lists verdicts by hand: a new
/// member is coloured on every page at once, or has no tone and fails the palette's tests.
/// </summary>
public static class Palette
{
    public static Tone Of(Verdict verdict) => verdict.IsFailure() ? Tone.Fail : verdict switch
    {
        Verdict.Passed => Tone.Pass,
        Verdict.Error => Tone.Error,
        Verdict.Unverified => Tone.Doubt,
        Verdict.Skipped => Tone.Skip,
        _ => throw Untoned(verdict),
    };

    public static Tone Of(StageStatus status) => status.IsFailure() ? Tone.Fail : status switch
    {
        StageStatus.Passed => Tone.Pass,
        StageStatus.Error => Tone.Error,
        StageStatus.Unverified => Tone.Doubt,
        StageStatus.Skipped => Tone.Skip,
        _ => throw Untoned(status),
    };

    public static Tone Of(RungStatus status) => status.IsFailure() ? Tone.Fail : status switch
    {
        RungStatus.Pass => Tone.Pass,
        RungStatus.Unverified => Tone.Doubt,
        RungStatus.Gap => Tone.Gap,
        RungStatus.Skip => Tone.Skip,
        _ => throw Untoned(status),
    };

    /// <summary>What the re-runs of a red recipe said: red again alone is a failure, green alone a doubt.</summary>
    public static Tone Of(Classification classification) => classification switch
    {
        Classification.Deterministic or Classification.Unstable => Tone.Fail,
        Classification.Flaky => Tone.Doubt,
        _ => throw Untoned(classification),
    };

    /// <summary>Only a change of colour since the last sweep is coloured; none when the outcome stayed or the recipe was not run.</summary>
    public static Tone? Of(Change change) => change switch
    {
        Change.NewlyFailing => Tone.Fail,
        Change.NewlyPassing => Tone.Pass,
        Change.StillFailing or Change.StillPassing or Change.FirstPass or Change.NotRun => null,
        _ => throw Untoned(change),
    };

    private static ArgumentOutOfRangeException Untoned<T>(T value) where T : struct, Enum =>
        new(nameof(value), value, $"{typeof(T).Name} {value.Word()} has no tone in the palette");

    /// <summary>
    /// Each tone's looks: pale for a large cell (a background, or grey text for what was not run),
    /// strong for a small one (a rung's letter, a history cell), and the strong colour's name for a legend.
    /// </summary>
    private static (string Pale, string Strong, string Name) Looks(Tone tone) => tone switch
    {
        Tone.Pass => ("background:#dafbe1", "#3fb950", "green"),
        Tone.Fail => ("background:#ffebe9", "#e5534b", "red"),
        Tone.Error => ("background:#ffebe9", "#8b949e", "grey"),
        Tone.Doubt => ("background:#fff8c5", "#d4a72c", "yellow"),
        Tone.Gap => ("background:#ffd8b5", "#8250df", "purple"),
        Tone.Skip => ("color:#6e7781", "#b1bac4", "grey"),
        _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, null),
    };

    public static string Pale(Tone tone) => Looks(tone).Pale;

    public static string Strong(Tone tone) => Looks(tone).Strong;

    public static string Name(Tone tone) => Looks(tone).Name;

    /// <summary>A level's colour (the sweep's level cells, the badges): red at L0, green at the top of the ladder.</summary>
    public static string Level(int level) => level switch
    {
        <= 0 => Strong(Tone.Fail),
        1 or 2 => "#e0823d",
        3 => "#d9b343",
        4 => "#a0b93f",
        _ => Strong(Tone.Pass),
    };

    /// <summary>Every outcome word a page may put in a class, with its tone.</summary>
    private static IReadOnlyList<(string Word, Tone Tone)> Words { get; } =
    [
        .. Enum.GetValues<Verdict>().Select(v => (v.Word(), Of(v))),
        .. Enum.GetValues<StageStatus>().Select(s => (s.Word(), Of(s))),
        .. Enum.GetValues<RungStatus>().Select(s => (s.Word(), Of(s))),
        .. Enum.GetValues<Classification>().Select(c => (c.Word(), Of(c))),
        .. Enum.GetValues<Change>().Where(c => Of(c) is not null).Select(c => (c.Word(), Of(c)!.Value)),
    ];

    /// <summary>The classes every page shares: each outcome word in its pale look, and each level <c>L0</c>..<c>L5</c> in its colour.</summary>
    public static string Css { get; } =
        Rules(Words.Select(w => ("." + w.Word, Pale(w.Tone)))) +
        Rules(Enumerable.Range(0, Rungs.All.Count + 1).Select(level => ($".L{level}", "background:" + Level(level))));

    /// <summary>
    /// CSS rules, one per declaration with its selectors joined. A selector given two declarations
    /// (a word two enums share, toned apart) is the palette's own mistake, and thrown.
    /// </summary>
    public static string Rules(IEnumerable<(string Selector, string Declaration)> rules)
    {
        var distinct = rules.Distinct().ToList();
        if (distinct.GroupBy(r => r.Selector).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new InvalidOperationException($"{clash.Key} is given {string.Join(" and ", clash.Select(r => r.Declaration))}");
        return string.Concat(distinct.GroupBy(r => r.Declaration).Select(g => $"{string.Join(",", g.Select(r => r.Selector))}{{{g.Key}}}"));
    }
}
