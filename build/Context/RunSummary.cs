using RecipeCi.Host;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Tables;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>How a recipe run ends on the console: every stage and the rungs, then (after Cake's table) the verdict and where the evidence is.</summary>
public static class RunSummary
{
    public static IEnumerable<string> Lines(RunResult r)
    {
        yield return "";
        yield return $"Recipe CI: {r.Recipe} ({r.Mode}) with the {r.Driver} abra driver, run {r.RunId}";
        var stages = new TextTable(4, rightAligned: 2);
        foreach (var s in r.Stages) stages.Row(s.Folder, s.Status.Word(), $"{s.DurationS:0.0}s", StageReason.Shown(s.Reason));
        foreach (var line in stages.Lines()) yield return line;
        yield return $"  rungs: {string.Join(", ", r.Rungs.Select(kv => $"{kv.Key.Word()}={kv.Value.Word()}"))}";
        if (r.Rungs.Where(kv => kv.Value == RungStatus.Gap).Select(kv => kv.Key).ToList() is { Count: > 0 } gaps)
            yield return $"  coverage gap: {Rungs.Words(gaps)} could not run and recipes.yaml does not declare them not_applicable; a gap holds the level like a failure, not the verdict";
    }

    /// <summary>The console's last lines: what a reader looks for first.</summary>
    public static IEnumerable<ClosingLine> Closing(RunResult r)
    {
        yield return new ClosingLine($"Verdict: {r.Verdict.Word().ToUpperInvariant()}, level L{r.Level}{(r.Reason is null ? "" : " - " + StageReason.Shown(r.Reason))}", ColourOf(r.Verdict));
        yield return new ClosingLine($"Evidence: {r.Evidence}/ (results.json, junit.xml, timeline.json, one folder per stage)");
        yield return new ClosingLine($"Report: {Path.Combine(r.Evidence, RunPage.FileName)}");
    }

    /// <summary>The verdict line's colour on a terminal, by the verdict's tone on the pages.</summary>
    public static ConsoleColor ColourOf(Verdict verdict) => Palette.Of(verdict) switch
    {
        Tone.Pass => ConsoleColor.Green,
        Tone.Fail => ConsoleColor.Red,
        Tone.Skip => ConsoleColor.Gray,
        _ => ConsoleColor.Yellow,
    };
}
