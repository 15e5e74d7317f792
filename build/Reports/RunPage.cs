using System.Globalization;
using System.Text;
using RecipeCi.Results;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;

namespace RecipeCi.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page per run (inline CSS and SVG, no scripts, no network):
/// the verdict, level and reason in one line; the run's facts; the rungs; the stages with links to
/// their evidence, each browser check's screenshots as thumbnails under its stage; and swarm's timeline: a lane per service, each task a bar outlined by the spec it
/// runs and shaded by its state, the update states as bands, the harness's actions and decisions as
/// numbered markers, times relative to the first deploy.
/// </summary>
public static class RunPage
{
    public const string FileName = "report.html";

    /// <summary>The run page's own styles; the table and outcome colours are every page's.</summary>
    private const string Css =
        HtmlPage.DocumentCss + ".headline{font-size:1.2em;padding:.5em;border-radius:4px}.reason{max-width:60em;overflow-wrap:anywhere}svg{max-width:100%;height:auto}" +
        ".legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:1em;height:.8em;margin-right:.3em;vertical-align:middle}" +
        ".thumbs a{display:inline-block;margin:.3em .6em 0 0;font-size:.85em}.thumbs img{display:block;width:240px;max-height:180px;object-fit:cover;object-position:top;border:1px solid #bbb}";

    /// <param name="dependencies">The runs of the apps the recipe needs, each with its folder relative to this run's (<c>deps/&lt;recipe&gt;</c>).</param>
    public static string Render(RunResult r, TimelineFile timeline, IReadOnlyList<(string Folder, RunResult Run)>? dependencies = null)
    {
        var html = new StringBuilder();
        html.AppendLine($"<p class=\"headline {r.Verdict.Word()}\"><strong>{Encode(r.Verdict.Word().ToUpperInvariant())}</strong>, level L{r.Level}" +
                        (r.Reason is null ? "" : $" &mdash; {Encode(r.Reason)}") + "</p>");
        var duration = r.FinishedAt is { } end ? $"{(end - r.StartedAt).TotalSeconds:0.0} s" : "running";
        html.AppendLine("<table>" + string.Concat(new (string, string?)[]
        {
            ("recipe", r.Recipe), ("target", r.Mode), ("ref", r.Ref), ("upgrade", $"{r.BaseVersion ?? "(no base)"} → {r.HeadVersion ?? "(no version label)"}"),
            ("driver", r.Driver), ("run", r.RunId), ("app", $"{r.AppDomain} (stack {r.Stack})"), ("duration", duration),
        }.Select(f => $"<tr><th>{f.Item1}</th><td>{Encode(f.Item2)}</td></tr>")) + "</table>");
        html.AppendLine("<h2>Rungs</h2><table><tr>" + string.Concat(Rungs.All.Select(g => $"<th>L{(int)g + 1} {g.Word()}</th>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => r.Rungs.TryGetValue(g, out var s) ? $"<td class=\"{s.Word()}\">{s.Word()}</td>" : "<td>-</td>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => $"<td class=\"judged\">{(r.DeploysJudged.TryGetValue(g, out var d) ? "judged: " + Encode(d) : "")}</td>")) + "</tr></table>");
        html.AppendLine("<h2>Stages</h2>");
        html.AppendLine(StageTable(r.Stages, ""));
        foreach (var (folder, d) in dependencies ?? [])
        {
            html.AppendLine($"<h2>Dependency {Encode(d.Recipe)}</h2><p><span class=\"{d.Verdict.Word()}\">{Encode(d.Verdict.Word())}</span>, app {Encode(d.AppDomain)} " +
                            $"(stack {Encode(d.Stack)}): <a href=\"{Encode(folder)}/{FileName}\">its run page</a></p>");
            html.AppendLine(StageTable(d.Stages, folder + "/"));
        }
        html.AppendLine("<h2>What swarm did</h2>");
        html.AppendLine(Timeline(timeline));
        return HtmlPage.Render($"Recipe CI {r.Recipe} {r.Verdict.Word()}", Css, html.ToString());
    }

    /// <summary>A browser check's row under its stage: its outcome and name, each screenshot a thumbnail linking the full PNG.</summary>
    private static string Thumbnails(StageResult stage, Recipes.CheckResult check, string prefix)
    {
        var outcome = check.Passed ? StageStatus.Passed : StageStatus.Failed;
        var thumbs = string.Concat(Screenshot.Of(stage, check).Select(shot =>
            $"<a href=\"{Encode(prefix + shot.Href)}\"><img src=\"{Encode(prefix + shot.Href)}\" alt=\"{Encode($"{check.Name}: {shot.FileName}")}\">{Encode(shot.FileName)}</a>"));
        return $"<tr class=\"check\"><td></td><td class=\"{outcome.Word()}\">{outcome.Word()}</td><td>{check.DurationS.ToString("0.0", CultureInfo.InvariantCulture)}</td>" +
               $"<td>{Encode(check.Name)}<div class=\"thumbs\">{thumbs}</div></td></tr>";
    }

    /// <summary>Stages with links to their folders, under <paramref name="prefix"/> (a dependency's folder) or this run's, each browser check's screenshots under its stage.</summary>
    private static string StageTable(IEnumerable<StageResult> stages, string prefix) =>
        "<table><tr><th>stage</th><th>outcome</th><th>seconds</th><th>reason</th></tr>\n" + string.Concat(stages.Select(s =>
            $"<tr><td><a href=\"{Encode(prefix + s.Folder)}/\">{Encode(s.Folder)}</a></td><td class=\"{s.Status.Word()}\">{s.Status.Word()}</td>" +
            $"<td>{s.DurationS.ToString("0.0", CultureInfo.InvariantCulture)}</td><td class=\"reason\">{Encode(Short(s.Reason))}</td></tr>\n" +
            string.Concat(s.Checks.Where(c => c.Screenshots is { Count: > 0 }).Select(c => Thumbnails(s, c, prefix) + "\n")))) + "</table>";

    private static string Short(string? reason) => reason is null ? "" : reason.Length <= 200 ? reason : reason[..199] + "…";

    /// <summary>The SVG timeline and its legend; a run that deployed nothing says so.</summary>
    public static string Timeline(TimelineFile timeline) =>
        TimelineGeometry.Of(timeline) is { } layout ? TimelineMarkup.Svg(layout) + TimelineMarkup.Legend(layout) : "<p>No deploy was watched in this run.</p>";
}
