using System.Globalization;
using System.Net;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>
/// A recipe's history strip: the newest sweeps that ran it as small coloured cells, oldest first,
/// each cell's title naming the sweep, its date, verdict, classification, level and release. Drawn
/// by the sweep page and the artifacts index alike.
/// </summary>
public static class HistoryStrip
{
    /// <summary>The strip's styles, scoped to <c>.strip</c>: strong colours, since a cell is too small for a pale one.</summary>
    public const string Css =
        ".strip{white-space:nowrap}.strip span{display:inline-block;width:8px;height:14px;margin-right:2px;border-radius:2px;vertical-align:middle;background:#e5534b}" +
        ".strip .passed{background:#3fb950}.strip .flaky{background:#d9b343}.strip .error{background:#8b949e}";

    /// <summary>What a cell's colour says, for the page's legend.</summary>
    public const string Legend = "history: the newest sweeps that ran the recipe, oldest first; green passed, red failed (any red verdict), " +
                                 "yellow flaky (red in the sweep, passed alone), grey error (the harness or the machine, not the recipe); hover a cell for its sweep and date.";

    /// <summary>The cell's word: its verdict, or flaky when the re-runs said so.</summary>
    private static string Word(SweepHistoryEntry e) => e.Classification == Classification.Flaky ? Classification.Flaky.Word() : e.Verdict.Word();

    /// <summary>"&lt;sweep id&gt; &lt;date&gt;Z: &lt;verdict&gt; (&lt;classification&gt;), L&lt;level&gt;, &lt;release&gt;": what hovering a cell says.</summary>
    private static string Title(SweepHistoryEntry e) =>
        $"{e.SweepId} {e.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z: {e.Verdict.Word()}" +
        $"{(e.Classification is { } c ? $" ({c.Word()})" : "")}, L{e.Level}, {e.Version ?? "no release"}";

    public static string Html(IEnumerable<SweepHistoryEntry> sweeps) =>
        "<span class=\"strip\">" +
        string.Concat(sweeps.Select(e => $"<span class=\"{Word(e)}\" title=\"{WebUtility.HtmlEncode(Title(e))}\"></span>")) +
        "</span>";

    /// <summary>The same cells as coloured squares, for Markdown, which has no styles.</summary>
    public static string Markdown(IEnumerable<SweepHistoryEntry> sweeps) =>
        string.Concat(sweeps.Select(e => e.Classification == Classification.Flaky ? "🟨" : e.Verdict switch
        {
            Verdict.Passed => "🟩",
            Verdict.Error => "⬜",
            _ => "🟥",
        }));
}
