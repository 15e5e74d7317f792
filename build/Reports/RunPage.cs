using System.Globalization;
using System.Text;
using RecipeCi.Results;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;

namespace RecipeCi.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page per run (inline CSS and SVG, no scripts, no network):
/// the verdict, level and reason in one line; the run's facts; the rungs; the stages with links to
/// their evidence; and swarm's timeline: a lane per service, each task a bar outlined by the spec it
/// runs and shaded by its state, the update states as bands, the harness's actions and decisions as
/// numbered markers, times relative to the first deploy.
/// </summary>
public static class RunPage
{
    public const string FileName = "report.html";

    /// <summary>The run page's own styles; the table and outcome colours are every page's.</summary>
    private const string Css =
        HtmlPage.DocumentCss + ".headline{font-size:1.2em;padding:.5em;border-radius:4px}.reason{max-width:60em;overflow-wrap:anywhere}svg{max-width:100%;height:auto}" +
        ".legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:1em;height:.8em;margin-right:.3em;vertical-align:middle}";

    public static string Render(RunResult r, TimelineFile timeline)
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
        if (r.SinceGreen is { } since)
            html.AppendLine($"<h2>{Encode(char.ToUpperInvariant(since.Heading[0]) + since.Heading[1..])}</h2><pre class=\"since\">{Encode(string.Join("\n", since.Lines()))}</pre>");
        html.AppendLine("<h2>Rungs</h2><table><tr>" + string.Concat(Rungs.All.Select(g => $"<th>L{(int)g + 1} {g.Word()}</th>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => r.Rungs.TryGetValue(g, out var s) ? $"<td class=\"{s.Word()}\">{s.Word()}</td>" : "<td>-</td>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => $"<td class=\"judged\">{(r.DeploysJudged.TryGetValue(g, out var d) ? "judged: " + Encode(d) : "")}</td>")) + "</tr></table>");
        html.AppendLine("<h2>Stages</h2><table><tr><th>stage</th><th>outcome</th><th>seconds</th><th>reason</th></tr>");
        foreach (var s in r.Stages)
            html.AppendLine($"<tr><td><a href=\"{Encode(s.Folder)}/\">{Encode(s.Folder)}</a></td><td class=\"{s.Status.Word()}\">{s.Status.Word()}</td>" +
                            $"<td>{s.DurationS.ToString("0.0", CultureInfo.InvariantCulture)}</td><td class=\"reason\">{Encode(Short(s.Reason))}</td></tr>");
        html.AppendLine("</table>");
        html.AppendLine("<h2>What swarm did</h2>");
        html.AppendLine(Timeline(timeline));
        return HtmlPage.Render($"Recipe CI {r.Recipe} {r.Verdict.Word()}", Css, html.ToString());
    }

    private static string Short(string? reason) => reason is null ? "" : reason.Length <= 200 ? reason : reason[..199] + "…";

    /// <summary>The SVG timeline and its legend; a run that deployed nothing says so.</summary>
    public static string Timeline(TimelineFile timeline) =>
        TimelineGeometry.Of(timeline) is { } layout ? TimelineMarkup.Svg(layout) + TimelineMarkup.Legend(layout) : "<p>No deploy was watched in this run.</p>";
}
