using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.State;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;

namespace RecipeCi.Reports;

/// <summary>
/// The sweep's report in its folder: <c>summary.json</c>, <c>summary.md</c>, a self-contained
/// <c>summary.html</c> (counts by verdict on top, then one line a recipe: release, verdict, level,
/// rungs, change, isolation, history strip and short cause, linking its run page and log) and one
/// <c>junit.xml</c> holding every recipe's test suite.
/// </summary>
public sealed class SweepReportWriter(ArtifactWriter files)
{
    public const string Markdown = "summary.md";
    public const string Html = "summary.html";

    public void Write(string sweepDirectory, SweepSummary summary)
    {
        Directory.CreateDirectory(sweepDirectory);
        files.WriteJson(Path.Combine(sweepDirectory, SweepSummary.FileName), summary);
        files.Write(Path.Combine(sweepDirectory, Markdown), ToMarkdown(summary));
        files.Write(Path.Combine(sweepDirectory, Html), ToHtml(summary));
        files.Write(Path.Combine(sweepDirectory, JUnitWriter.FileName), JUnitWriter.Text(ToJUnit(sweepDirectory, summary)));
    }

    /// <summary>The line above the table: counts by verdict, what regressed, what passes again, what is flaky, the exit code.</summary>
    public static string Headline(SweepSummary s) =>
        $"{SweepSummary.CountOf(s.Recipes.Count)}: {string.Join(", ", VerdictCounts(s).Select(c => $"{c.Count} {c.Verdict.Word()}"))}. " +
        $"Regressed: {List(s.Regressions)}. Newly passing: {List(s.NewlyPassing)}. Flaky (red in the sweep, passed alone): {List(s.Flaky)}. Exit code {s.ExitCode}.";

    /// <summary>How many recipes ended with each verdict, in the verdicts' order.</summary>
    private static IReadOnlyList<(Verdict Verdict, int Count)> VerdictCounts(SweepSummary s) =>
        [.. s.Recipes.GroupBy(r => r.Verdict).OrderBy(g => g.Key).Select(g => (g.Key, g.Count()))];

    private static string Facts(SweepSummary s) =>
        $"Ran {s.Recipes.Count(r => r.Ran)} of {s.Recipes.Count}, shard {s.Shard}, parallel {s.Parallel}, confirm {s.Confirm}{(s.Forced ? ", forced" : "")}, in {s.WallS:0.0}s. " +
        $"Before the sweep: {s.Janitor.Account}.";

    /// <summary>"deterministic", "flaky", "unstable" (what the re-runs said), or "-" when the recipe was not re-run.</summary>
    public static string Isolation(RecipeSweepResult r) =>
        r.Classification is { } c ? $"{c.Word()} ({string.Join(", ", r.Confirmations.Select(x => x.Verdict.Word()))} alone)" : "-";

    /// <summary>Where a run's page is, relative to the sweep folder: its report.html, or its folder when the run left no verdict (and so maybe no page).</summary>
    public static string? RunLink(string? evidence, bool noVerdict) =>
        evidence is null ? null : noVerdict ? evidence + "/" : $"{evidence}/{RunPage.FileName}";

    /// <summary>"stale? a, b": failed checks never seen passing on any release of the recipe; empty when there are none.</summary>
    public static string Stale(RecipeSweepResult r) => r.StaleChecks.Count == 0 ? "" : $"stale? {string.Join(", ", r.StaleChecks)}";

    private const string StaleLegend = "stale?: a custom check that failed and never passed in any sweep of the recipe, on any release: " +
                                       "the check may test what no release has (yet, or any more); give it from: or until: in checks.yaml.";

    private static string List(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static string RungText(RecipeSweepResult r, Rung rung) => r.Rungs.TryGetValue(rung, out var status) ? status.Word() : "-";

    /// <summary>The letter a rung's cell shows: I, U, B, C, L.</summary>
    private static char Letter(Rung rung) => char.ToUpperInvariant(rung.Word()[0]);

    public static string ToMarkdown(SweepSummary s)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Recipe CI sweep {s.SweepId}").AppendLine();
        md.AppendLine(Headline(s)).AppendLine().AppendLine(Facts(s)).AppendLine();
        md.AppendLine($"| recipe | release | verdict | level | {string.Join(" | ", Rungs.All.Select(n => n.Word()))} | change | isolation | history | cause |");
        md.AppendLine($"|---|---|---|---|{string.Concat(Rungs.All.Select(_ => "---|"))}---|---|---|---|");
        foreach (var r in s.Recipes)
        {
            var name = RunLink(r.Evidence, r.NoVerdict) is { } page ? $"[{r.Recipe}]({page})" : r.Recipe;
            var log = r.Log is null ? "" : $" ([log]({r.Log}))";
            var reruns = string.Concat(r.Confirmations.Where(x => x.Evidence is not null).Select(x => $" [re-run {x.Attempt}]({RunLink(x.Evidence, x.NoVerdict)})"));
            md.AppendLine($"| {name}{log} | {r.Tag ?? "-"} | {r.Verdict.Word()} | L{r.Level} | {string.Join(" | ", Rungs.All.Select(n => RungText(r, n)))} | " +
                          $"{r.Change.Word()} | {Isolation(r)}{reruns} | {HistoryStrip.Markdown(r.History)} | {Cell(string.Join(" ", new[] { Stale(r), r.Cause ?? "" }.Where(t => t.Length > 0)))} |");
        }
        md.AppendLine().AppendLine(GapLegend).AppendLine().AppendLine(HistoryStrip.Legend).AppendLine();
        if (s.Recipes.Any(r => r.StaleChecks.Count > 0)) md.AppendLine(StaleLegend).AppendLine();
        // The table keeps one short line per recipe; the whole reason and the canonical record's fate are here.
        md.AppendLine("## Reasons and canonical records").AppendLine();
        foreach (var r in s.Recipes)
            md.AppendLine($"- **{r.Recipe}**: canonical {r.Canonical.Note}.{(r.Reason is null ? "" : $" {r.Reason.ReplaceLineEndings(" ")}")}");
        return md.ToString();
    }

    private const string GapLegend = "gap: the rung could not run (no backup labels, no custom checks) and recipes.yaml does not declare it not_applicable; it holds the level like a failure and leaves the verdict alone. skip: declared not applicable, or no release to upgrade from.";

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>
    /// Fixed column widths, one line a row, and text cut with an ellipsis rather than widening the
    /// page: the table fits a 1366 px screen whatever a name or a reason holds. On a phone each row
    /// wraps its cells over as many lines as it needs.
    /// </summary>
    private static readonly string Css =
        "body{font-family:system-ui,sans-serif;margin:1em;font-size:14px}h1{font-size:1.3em;margin:.2em 0}p{margin:.4em 0;overflow-wrap:anywhere}" +
        "table{border-collapse:collapse;table-layout:fixed;width:100%;margin:.6em 0;font-size:13px}" +
        "td,th{border:1px solid #d0d7de;padding:.2em .4em;text-align:left;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}" +
        "col.recipe{width:140px}col.release{width:104px}col.verdict{width:100px}col.level{width:48px}col.rungs{width:104px}col.change{width:110px}" +
        "col.isolation{width:160px}col.history{width:140px}" +
        ".count{padding:.1em .4em;border-radius:3px;margin-right:.3em}.log{float:right;margin-left:.4em;font-size:.85em}" +
        $".rungs span{{display:inline-block;width:15px;margin-right:2px;text-align:center;font-size:11px;color:#fff;border-radius:2px;background:{Palette.Strong(Tone.Skip)}}}" +
        Palette.Rules(Enum.GetValues<RungStatus>().Select(status => ($".rungs .{status.Word()}", "background:" + Palette.Strong(Palette.Of(status))))) +
        ".legend{color:#57606a;font-size:.9em}.stale{font-weight:600;color:#9a6700}" +
        HistoryStrip.Css + HtmlPage.PhoneCss + "@media (max-width:600px){td,th{white-space:normal}td.rungs,td .strip{white-space:nowrap}}";

    public static string ToHtml(SweepSummary s)
    {
        static string Link(string? href, string text, string? cls = null) =>
            href is null ? Encode(text) : $"<a{(cls is null ? "" : $" class=\"{cls}\"")} href=\"{Encode(href)}\">{Encode(text)}</a>";
        var html = new StringBuilder();
        html.AppendLine($"<h1>Recipe CI sweep {Encode(s.SweepId)}</h1>");
        html.AppendLine($"<p class=\"summary\">{SweepSummary.CountOf(s.Recipes.Count)}: " +
                        string.Concat(VerdictCounts(s).Select(c => $"<span class=\"count {c.Verdict.Word()}\">{c.Count} {c.Verdict.Word()}</span>")) +
                        $" &middot; regressed: <strong>{Encode(List(s.Regressions))}</strong> &middot; newly passing: {Encode(List(s.NewlyPassing))}" +
                        $" &middot; flaky (red in the sweep, passed alone): {Encode(List(s.Flaky))} &middot; exit code {s.ExitCode}</p>");
        html.AppendLine($"<p class=\"legend\">{Encode(Facts(s))}</p>");
        html.AppendLine("<table><colgroup><col class=\"recipe\"><col class=\"release\"><col class=\"verdict\"><col class=\"level\"><col class=\"rungs\">" +
                        "<col class=\"change\"><col class=\"isolation\"><col class=\"history\"><col class=\"cause\"></colgroup>");
        html.AppendLine($"<tr><th>recipe</th><th>release</th><th>verdict</th><th>level</th><th title=\"{string.Join(", ", Rungs.All.Select(n => n.Word()))}\">rungs</th>" +
                        "<th>change</th><th>isolation</th><th title=\"oldest first\">history</th><th>cause</th></tr>");
        foreach (var r in s.Recipes)
        {
            var log = r.Log is null ? "" : Link(r.Log, "log", "log");
            html.Append($"<tr><td class=\"recipe\" title=\"{Encode(r.Recipe)}\">{log}{Link(RunLink(r.Evidence, r.NoVerdict), r.Recipe)}</td>" +
                        $"<td title=\"canonical: {Encode(r.Canonical.Note)}\">{Encode(r.Tag ?? "-")}</td>" +
                        $"<td class=\"{r.Verdict.Word()}\">{r.Verdict.Word()}</td><td class=\"L{r.Level}\">L{r.Level}</td><td class=\"rungs\">");
            foreach (var n in Rungs.All)
                html.Append($"<span class=\"{RungText(r, n)}\" title=\"{n.Word()}: {RungText(r, n)}\">{Letter(n)}</span>");
            var reruns = string.Concat(r.Confirmations.Where(x => x.Evidence is not null).Select(x => Link(RunLink(x.Evidence, x.NoVerdict), $"re-run {x.Attempt}", "log")));
            html.AppendLine($"</td><td class=\"{r.Change.Word()}\">{r.Change.Word()}</td>" +
                            $"<td class=\"{r.Classification?.Word()}\" title=\"{Encode(Isolation(r))}\">{reruns}{r.Classification?.Word() ?? "-"}</td>" +
                            $"<td>{HistoryStrip.Html(r.History)}</td><td class=\"cause\" title=\"{Encode(r.Reason)}\">" +
                            (r.StaleChecks.Count == 0 ? "" : $"<span class=\"stale\" title=\"{Encode(StaleLegend)}\">{Encode(Stale(r))}</span> ") +
                            $"{Encode(r.Cause ?? "-")}</td></tr>");
        }
        html.AppendLine("</table>");
        html.AppendLine($"<p class=\"legend\">rungs: {string.Join(", ", Rungs.All.Select(n => $"{Letter(n)} {n.Word()}"))}; " +
                        $"{string.Join(", ", Enum.GetValues<RungStatus>().Select(st => $"{Palette.Name(Palette.Of(st))} {st.Word()}"))}. {Encode(GapLegend)}</p>");
        if (s.Recipes.Any(r => r.StaleChecks.Count > 0)) html.AppendLine($"<p class=\"legend\">{Encode(StaleLegend)}</p>");
        html.AppendLine($"<p class=\"legend\">{Encode(HistoryStrip.Legend)} The cause is the reason in a few words: hover it for the whole reason, or open the run page.</p>");
        return HtmlPage.Render($"Recipe CI sweep {s.SweepId}", Css, html.ToString());
    }

    /// <summary>Every recipe's own suite, plus a suite for what has none (skipped, or no verdict).</summary>
    public static XDocument ToJUnit(string sweepDirectory, SweepSummary s)
    {
        var suites = new List<XElement>();
        foreach (var r in s.Recipes)
        {
            var own = r.Evidence is null ? null : Path.Combine(sweepDirectory, r.Evidence, JUnitWriter.FileName);
            if (own is not null && File.Exists(own) && r.Ran)
                suites.AddRange(XDocument.Load(own).Root!.Elements("testsuite"));
            if (r.NoVerdict || !r.Ran) suites.Add(SweepSuite(r));
            if (r.Classification is not null) suites.Add(IsolationSuite(r));
        }
        int Sum(string attribute) => suites.Sum(e => int.Parse((string?)e.Attribute(attribute) ?? "0", CultureInfo.InvariantCulture));
        return new XDocument(new XElement("testsuites",
            new XAttribute("name", $"recipe-ci.sweep.{s.SweepId}"),
            new XAttribute("tests", Sum("tests")), new XAttribute("failures", Sum("failures")),
            new XAttribute("errors", Sum("errors")), new XAttribute("skipped", Sum("skipped")),
            suites));
    }

    /// <summary>The re-runs' word as a testcase: a failure when the recipe is red alone too, a pass (marked flaky) when it passed alone.</summary>
    private static XElement IsolationSuite(RecipeSweepResult r)
    {
        var text = $"{Isolation(r)} after {r.Verdict.Word()} at {r.StoppedAt?.ToString() ?? "-"} in the sweep; re-runs: " +
                   string.Join("; ", r.Confirmations.Select(x => $"{x.Verdict.Word()} at {x.StoppedAt?.ToString() ?? "-"} ({x.Evidence})"));
        var red = !r.Flaky;
        return new XElement("testsuite",
            new XAttribute("name", $"recipe-ci.{r.Recipe}.isolation"), new XAttribute("tests", 1),
            new XAttribute("failures", red ? 1 : 0), new XAttribute("errors", 0), new XAttribute("skipped", 0),
            new XElement("properties", new XElement("property", new XAttribute("name", "classification"), new XAttribute("value", r.Classification!.Value.Word()))),
            new XElement("testcase", new XAttribute("classname", $"{r.Recipe}.isolation"), new XAttribute("name", "IsolationReRun"),
                new XAttribute("time", r.Confirmations.Sum(x => x.WallS).ToString("0.000", CultureInfo.InvariantCulture)),
                red ? new XElement("failure", new XAttribute("type", r.Classification!.Value.Word()), new XAttribute("message", text), text)
                    : new XElement("system-out", text)));
    }

    private static XElement SweepSuite(RecipeSweepResult r)
    {
        var outcome = r.NoVerdict
            ? new XElement("error", new XAttribute("type", "error"), new XAttribute("message", r.Reason ?? ""), $"{r.Reason}\nlog: {r.Log}")
            : new XElement("skipped", new XAttribute("message", r.Reason ?? ""));
        return new XElement("testsuite",
            new XAttribute("name", $"recipe-ci.{r.Recipe}.sweep"), new XAttribute("tests", 1),
            new XAttribute("failures", 0), new XAttribute("errors", r.NoVerdict ? 1 : 0), new XAttribute("skipped", r.NoVerdict ? 0 : 1),
            new XElement("testcase", new XAttribute("classname", $"{r.Recipe}.sweep"), new XAttribute("name", "Sweep"),
                new XAttribute("time", r.WallS.ToString("0.000", CultureInfo.InvariantCulture)), outcome));
    }
}
