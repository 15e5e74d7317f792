using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// The sweep's report in its folder: <c>summary.json</c>, <c>summary.md</c>, a self-contained
/// <c>summary.html</c> (recipes × rungs, links to each run's evidence) and one <c>junit.xml</c>
/// holding every recipe's test suite.
/// </summary>
public static class SweepReportWriter
{
    public const string Markdown = "summary.md";
    public const string Html = "summary.html";

    public static void Write(string sweepDirectory, SweepSummary summary)
    {
        Directory.CreateDirectory(sweepDirectory);
        var files = ArtifactWriter.NoSecrets;
        files.WriteJson(Path.Combine(sweepDirectory, SweepSummary.FileName), summary);
        files.Write(Path.Combine(sweepDirectory, Markdown), ToMarkdown(summary));
        files.Write(Path.Combine(sweepDirectory, Html), ToHtml(summary));
        files.Write(Path.Combine(sweepDirectory, JUnitWriter.FileName), JUnitWriter.Text(ToJUnit(sweepDirectory, summary)));
    }

    private static string Headline(SweepSummary s) =>
        $"{SweepSummary.CountOf(s.Recipes.Count)} (ran {s.Recipes.Count(r => r.Ran)}, shard {s.Shard}, parallel {s.Parallel}{(s.Forced ? ", forced" : "")}) " +
        $"in {s.WallS:0.0}s. Regressed: {List(s.Regressions)}. Flaky (red in the sweep, passed alone): {List(s.Flaky)}. " +
        $"Newly passing: {List(s.NewlyPassing)}. Before the sweep: {s.Janitor.Account}. Exit code {s.ExitCode}.";

    /// <summary>"deterministic", "flaky", "unstable" (what the re-runs said), or "-" when the recipe was not re-run.</summary>
    public static string Isolation(RecipeSweepResult r) =>
        r.Classification is { } c ? $"{c.Word()} ({string.Join(", ", r.Confirmations.Select(x => x.Verdict.Word()))} alone)" : "-";

    private static string List(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static string RungText(RecipeSweepResult r, Rung rung) => r.Rungs.TryGetValue(rung, out var status) ? status.Word() : "-";

    public static string ToMarkdown(SweepSummary s)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Recipe CI sweep {s.SweepId}").AppendLine();
        md.AppendLine(Headline(s)).AppendLine();
        md.AppendLine($"| recipe | release | verdict | level | {string.Join(" | ", Rungs.All.Select(n => n.Word()))} | change | isolation | canonical | reason |");
        md.AppendLine($"|---|---|---|---|{string.Concat(Rungs.All.Select(_ => "---|"))}---|---|---|---|");
        foreach (var r in s.Recipes)
        {
            var name = r.Evidence is null ? r.Recipe : $"[{r.Recipe}]({r.Evidence}/)";
            var log = r.Log is null ? "" : $" ([log]({r.Log}))";
            md.AppendLine($"| {name}{log} | {r.Tag ?? "-"} | {r.Verdict.Word()} | L{r.Level} | {string.Join(" | ", Rungs.All.Select(n => RungText(r, n)))} | " +
                          $"{r.Change.Word()} | {Isolation(r)}{string.Concat(r.Confirmations.Where(x => x.Evidence is not null).Select(x => $" [re-run {x.Attempt}]({x.Evidence}/)"))} | " +
                          $"{Cell(r.Canonical.Note)} | {Cell(r.Reason ?? "")} |");
        }
        md.AppendLine().AppendLine(GapLegend);
        return md.ToString();
    }

    private const string GapLegend = "gap: the rung could not run (no backup labels, no custom checks) and recipes.yaml does not declare it not_applicable; it holds the level like a failure and leaves the verdict alone. skip: declared not applicable, or no release to upgrade from.";

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    public static string ToHtml(SweepSummary s)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>Recipe CI sweep {E(s.SweepId)}</title><style>");
        html.AppendLine("body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}");
        html.AppendLine(".pass,.passed{background:#d8f5d8}.fail,.failed,.rolled_back,.timed_out,.baseline_broken,.refused,.error,.newly_failing,.deterministic,.unstable{background:#f8d0d0}.flaky{background:#f5ecc8}.skip,.skipped{color:#777}.unver,.unverified{background:#f5ecc8}.gap{background:#f5d8b0}");
        html.AppendLine(".L0{background:#e5534b}.L1,.L2{background:#e0823d}.L3{background:#d9b343}.L4{background:#a0b93f}.L5{background:#3fb950}</style></head><body>");
        html.AppendLine($"<h1>Recipe CI sweep {E(s.SweepId)}</h1><p>{E(Headline(s))}</p>");
        html.AppendLine($"<table><tr><th>recipe</th><th>release</th><th>verdict</th><th>level</th>{string.Concat(Rungs.All.Select(n => $"<th>{n.Word()}</th>"))}<th>change</th><th>isolation</th><th>canonical</th><th>reason</th></tr>");
        foreach (var r in s.Recipes)
        {
            var name = r.Evidence is null ? E(r.Recipe) : $"<a href=\"{E(r.Evidence)}/\">{E(r.Recipe)}</a>";
            var log = r.Log is null ? "" : $" <a href=\"{E(r.Log)}\">log</a>";
            html.Append($"<tr><td>{name}{log}</td><td>{E(r.Tag ?? "-")}</td><td class=\"{r.Verdict.Word()}\">{r.Verdict.Word()}</td><td class=\"L{r.Level}\">L{r.Level}</td>");
            foreach (var n in Rungs.All) html.Append($"<td class=\"{RungText(r, n)}\">{RungText(r, n)}</td>");
            var reruns = string.Concat(r.Confirmations.Where(x => x.Evidence is not null).Select(x => $" <a href=\"{E(x.Evidence)}/\">re-run {x.Attempt}</a>"));
            html.AppendLine($"<td class=\"{r.Change.Word()}\">{r.Change.Word()}</td><td class=\"{r.Classification?.Word()}\">{E(Isolation(r))}{reruns}</td>" +
                            $"<td>{E(r.Canonical.Note)}</td><td>{E(r.Reason)}</td></tr>");
        }
        html.AppendLine($"</table><p>{E(GapLegend)}</p></body></html>");
        return html.ToString();
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
        var text = $"{Isolation(r)} after {r.Verdict.Word()} at {r.StoppedAt ?? "-"} in the sweep; re-runs: " +
                   string.Join("; ", r.Confirmations.Select(x => $"{x.Verdict.Word()} at {x.StoppedAt ?? "-"} ({x.Evidence})"));
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
