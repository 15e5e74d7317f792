using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>The closing lines of a recipe run on the console: every stage, the rungs, the verdict, the evidence.</summary>
public static class RunSummary
{
    public static IEnumerable<string> Lines(RunResult r)
    {
        yield return "";
        yield return $"Recipe CI: {r.Recipe} ({r.Mode}) with the {r.Driver} abra driver, run {r.RunId}";
        foreach (var s in r.Stages)
            yield return $"  {s.Folder,-28} {s.Status.Word(),-16} {s.DurationS,7:0.0}s  {s.Reason ?? ""}";
        yield return $"  rungs: {string.Join(", ", r.Rungs.Select(kv => $"{kv.Key.Word()}={kv.Value.Word()}"))}";
        if (r.Rungs.Where(kv => kv.Value == RungStatus.Gap).Select(kv => kv.Key).ToList() is { Count: > 0 } gaps)
            yield return $"  coverage gap: {Rungs.Words(gaps)} could not run and recipes.yaml does not declare them not_applicable; a gap holds the level like a failure, not the verdict";
        yield return $"Verdict: {r.Verdict.Word().ToUpperInvariant()}, level L{r.Level}{(r.Reason is null ? "" : " - " + r.Reason)}";
        yield return $"Evidence: {r.Evidence}/ (results.json, junit.xml, timeline.json, one folder per stage)";
        yield return $"Report: {Path.Combine(r.Evidence, RunPage.FileName)}";
    }
}
