using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
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
        foreach (var s in r.Stages) stages.Row(s.Folder, s.Status.Word(), $"{s.DurationS:0.0}s", s.Reason);
        foreach (var line in stages.Lines()) yield return line;
        // A plan tested nothing: its rungs are in its closing line, as a Recipe run would have them.
        if (r.Mode == RunPage.PlanMode) yield break;
        yield return $"  rungs: {string.Join(", ", r.Rungs.Select(kv => $"{kv.Key.Word()}={kv.Value.Word()}"))}";
        if (r.Rungs.Where(kv => kv.Value == RungStatus.Gap).Select(kv => kv.Key).ToList() is { Count: > 0 } gaps)
            yield return $"  coverage gap: {Rungs.Words(gaps)} could not run and recipes.yaml does not declare them not_applicable; a gap holds the level like a failure, not the verdict";
    }

    /// <summary>
    /// The console's last lines: what a reader looks for first. A run that judges says its verdict and
    /// level; a Lint its findings; a Plan what a Recipe run would do, with no verdict, since it tested nothing.
    /// </summary>
    public static IEnumerable<ClosingLine> Closing(RunResult r, RunResults found)
    {
        var plan = r.Mode == RunPage.PlanMode ? found.DeployPlan : null;
        var reason = r.Reason is null ? "" : " - " + r.Reason;
        yield return r.Mode switch
        {
            RunPage.PlanMode when plan is not null => new ClosingLine(PlanLine(plan)),
            RunPage.PlanMode => new ClosingLine($"Plan: not made ({r.Verdict.Word()}){reason}", ColourOf(r.Verdict)),
            // A failed lint keeps no report: its reason names the error findings.
            LintMode => new ClosingLine($"Lint: {r.Verdict.Word().ToUpperInvariant()}" +
                (found.Lint is { } lint ? $", {lint.Errors} error(s), {lint.Warnings} warning(s)" : "") + reason, ColourOf(r.Verdict)),
            _ => new ClosingLine($"Verdict: {r.Verdict.Word().ToUpperInvariant()}, level L{r.Level}{reason}", ColourOf(r.Verdict)),
        };
        yield return new ClosingLine(plan is not null && r.Stages.FirstOrDefault(s => s.Stage == StageId.PlanSummary) is { } stage
            ? $"Plan file: {Path.Combine(r.Evidence, stage.Folder, PlanSummary.FileName)}"
            : $"Evidence: {r.Evidence}/ (results.json, junit.xml, timeline.json, one folder per stage)");
        yield return new ClosingLine($"Report: {Path.Combine(r.Evidence, RunPage.FileName)}");
    }

    /// <summary>The Lint target's mode (its name in lower case).</summary>
    private const string LintMode = "lint";

    private static string PlanLine(DeployPlan p) =>
        $"Plan: a Recipe run of {p.Recipe} at {(p.Head.Length > 12 ? p.Head[..12] : p.Head)} ({p.HeadVersion ?? "no version label"}) would " + p.FirstDeploy switch
        {
            FirstDeploy.Base => $"deploy the base {p.Base}, then upgrade it to the head",
            FirstDeploy.Head => "install the head",
            _ => "deploy nothing",
        } + $"; rungs: {string.Join(", ", p.Rungs.Select(g => g.Word()))}";

    /// <summary>How a sweep ends on the console: its headline (counts, regressions, exit code), then where its page is.</summary>
    public static IEnumerable<ClosingLine> Closing(SweepSummary summary, string sweepDirectory)
    {
        yield return new ClosingLine($"Sweep {summary.SweepId}: {SweepReportWriter.Headline(summary)}", summary.ExitCode == 0 ? ConsoleColor.Green : ConsoleColor.Red);
        yield return new ClosingLine($"Report: {Path.Combine(sweepDirectory, SweepReportWriter.Html)} ({SweepSummary.FileName}, {SweepReportWriter.Markdown} and junit.xml beside it)");
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
