using System.Globalization;
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
    /// <summary>
    /// A cell says whether the sweep's run passed: green, grey for an error (the harness's, not the
    /// recipe's), yellow (its class <c>flaky</c>) when it passed alone, and red for every other verdict.
    /// </summary>
    private static (string Word, Tone Tone) Cell(Verdict verdict, Classification? classification) =>
        classification == Classification.Flaky ? (Classification.Flaky.Word(), Palette.Of(Classification.Flaky))
        : (verdict.Word(), Palette.Of(verdict) is var tone and (Tone.Pass or Tone.Error) ? tone : Tone.Fail);

    private static (string Word, Tone Tone) Cell(SweepHistoryEntry e) => Cell(e.Verdict, e.Classification);

    /// <summary>The strip's styles, scoped to <c>.strip</c>: strong colours, since a cell is too small for a pale one; red unless said otherwise.</summary>
    public static string Css { get; } =
        $".strip{{white-space:nowrap}}.strip span{{display:inline-block;width:8px;height:14px;margin-right:2px;border-radius:2px;vertical-align:middle;background:{Palette.Strong(Tone.Fail)}}}" +
        Palette.Rules(Enum.GetValues<Verdict>().Select(v => Cell(v, null)).Append(Cell(Verdict.Failed, Classification.Flaky))
            .Where(cell => cell.Tone != Tone.Fail).Select(cell => ($".strip .{cell.Word}", "background:" + Palette.Strong(cell.Tone))));

    /// <summary>What a cell's colour says, for the page's legend.</summary>
    public const string Legend = "history: the newest sweeps that ran the recipe, oldest first; green passed, red failed (any red verdict), " +
                                 "yellow flaky (red in the sweep, passed alone), grey error (the harness or the machine, not the recipe); hover a cell for its sweep and date.";

    /// <summary>"&lt;sweep id&gt; &lt;date&gt;Z: &lt;verdict&gt; (&lt;classification&gt;), L&lt;level&gt;, &lt;release&gt;": what hovering a cell says.</summary>
    private static string Title(SweepHistoryEntry e) =>
        $"{e.SweepId} {e.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z: {e.Verdict.Word()}" +
        $"{(e.Classification is { } c ? $" ({c.Word()})" : "")}, L{e.Level}, {e.Version ?? "no release"}";

    public static string Html(IEnumerable<SweepHistoryEntry> sweeps) =>
        "<span class=\"strip\">" +
        string.Concat(sweeps.Select(e => $"<span class=\"{Cell(e).Word}\" title=\"{HtmlPage.Encode(Title(e))}\"></span>")) +
        "</span>";

    /// <summary>The same cells as coloured squares, for Markdown, which has no styles.</summary>
    public static string Markdown(IEnumerable<SweepHistoryEntry> sweeps) =>
        string.Concat(sweeps.Select(e => Cell(e).Tone switch
        {
            Tone.Pass => "🟩",
            Tone.Error => "⬜",
            Tone.Doubt => "🟨",
            _ => "🟥",
        }));
}
