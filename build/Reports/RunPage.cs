using System.Globalization;
using System.Net;
using System.Text;
using RecipeCi.Evidence;
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

    private const int Width = 1100, LaneHeight = 34, Left = 110, Top = 24;

    private static readonly Dictionary<string, string> StateFill = new()
    {
        ["new"] = "#d0d7de", ["pending"] = "#d0d7de", ["assigned"] = "#d0d7de", ["accepted"] = "#d0d7de", ["preparing"] = "#c6d3e6",
        ["ready"] = "#c6d3e6", ["starting"] = "#9ec5fe", ["running"] = "#3fb950", ["complete"] = "#8b949e", ["shutdown"] = "#b1bac4",
        ["failed"] = "#e5534b", ["rejected"] = "#e5534b", ["orphaned"] = "#b1bac4", ["remove"] = "#b1bac4",
    };

    private static readonly Dictionary<string, string> SpecStroke = new()
    {
        ["base"] = "#0969da", ["head"] = "#8250df", ["rollback"] = "#cf222e", ["previous"] = "#6e7781",
    };

    private static readonly Dictionary<string, string> UpdateFill = new()
    {
        ["updating"] = "#fff8c5", ["completed"] = "#dafbe1", ["paused"] = "#ffebe9", ["rollback_started"] = "#ffd8b5",
        ["rollback_completed"] = "#ffcecb", ["rollback_paused"] = "#ffcecb",
    };

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
        html.AppendLine("<h2>Rungs</h2><table><tr>" + string.Concat(Rungs.All.Select(g => $"<th>L{(int)g + 1} {g.Word()}</th>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => r.Rungs.TryGetValue(g, out var s) ? $"<td class=\"{s.Word()}\">{s.Word()}</td>" : "<td>-</td>")) + "</tr></table>");
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
    public static string Timeline(TimelineFile timeline)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var events = timeline.Events;
        if (events.Count == 0 || timeline.Origin is not { } origin) return "<p>No deploy was watched in this run.</p>";
        var end = events.Max(e => e.At);
        // What was on the swarm ends where the harness removed the stack (before a cold install), else at the end.
        var removals = events.Where(e => e is { Kind: TimelineKind.Action, State: TimelineEvent.Removed }).Select(e => e.At).ToList();
        DateTimeOffset Until(DateTimeOffset from, DateTimeOffset? next) =>
            removals.Where(at => at > from && (next is null || at < next)).Select(at => (DateTimeOffset?)at).FirstOrDefault() ?? next ?? end;
        var span = Math.Max(1, (end - origin).TotalSeconds) * 1.05;
        double X(DateTimeOffset at) => Left + Math.Max(0, (at - origin).TotalSeconds) / span * (Width - Left - 10);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var lanes = events.Where(e => e.Lane != "harness").Select(e => e.Lane).Distinct().Order(StringComparer.Ordinal).ToList();
        var height = Top + (lanes.Count + 1) * LaneHeight + 20;
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"timeline\">");
        // The time axis, in seconds from the first deploy.
        for (var t = 0; t <= span; t += Math.Max(1, (int)(span / 10)))
        {
            var x = N(Left + t / span * (Width - Left - 10));
            svg.Append($"<line x1=\"{x}\" y1=\"{Top - 6}\" x2=\"{x}\" y2=\"{height - 20}\" stroke=\"#eaeef2\"/><text x=\"{x}\" y=\"{Top - 10}\" font-size=\"10\" text-anchor=\"middle\">+{t}s</text>");
        }
        for (var i = 0; i < lanes.Count; i++)
        {
            var lane = lanes[i];
            var y = Top + i * LaneHeight;
            svg.Append($"<g class=\"lane\" data-lane=\"{E(lane)}\"><text x=\"4\" y=\"{y + 20}\" font-size=\"12\">{E(lane)}</text>");
            var updates = events.Where(e => e.Lane == lane && e.Kind == TimelineKind.Update).ToList();
            for (var u = 0; u < updates.Count; u++)
            {
                var x1 = X(updates[u].At);
                var x2 = X(Until(updates[u].At, u + 1 < updates.Count ? updates[u + 1].At : null));
                svg.Append($"<rect class=\"band\" x=\"{N(x1)}\" y=\"{y}\" width=\"{N(Math.Max(2, x2 - x1))}\" height=\"{LaneHeight - 2}\" fill=\"{UpdateFill.GetValueOrDefault(updates[u].State, "#f6f8fa")}\"><title>{E(updates[u].Text)}</title></rect>");
            }
            var tasks = events.Where(e => e.Lane == lane && e.Kind == TimelineKind.Task).GroupBy(e => e.Task).ToList();
            for (var k = 0; k < tasks.Count; k++)
            {
                var states = tasks[k].ToList();
                var ty = y + 5 + k % 3 * 8;
                for (var s = 0; s < states.Count; s++)
                {
                    var x1 = X(states[s].At);
                    var x2 = s + 1 < states.Count ? X(states[s + 1].At) : (states[s].State is "running" or "starting" ? X(Until(states[s].At, null)) : x1 + 4);
                    svg.Append($"<rect class=\"task\" x=\"{N(x1)}\" y=\"{ty}\" width=\"{N(Math.Max(3, x2 - x1))}\" height=\"7\" fill=\"{StateFill.GetValueOrDefault(states[s].State, "#d0d7de")}\" " +
                               $"stroke=\"{SpecStroke.GetValueOrDefault(states[s].Spec ?? "", "#6e7781")}\" stroke-width=\"1.5\"><title>{E(states[s].Text)}</title></rect>");
                }
            }
            svg.Append("</g>");
        }
        var marks = events.Where(e => e.Kind is TimelineKind.Action or TimelineKind.Decision).ToList();
        var bottom = Top + lanes.Count * LaneHeight;
        for (var m = 0; m < marks.Count; m++)
        {
            var x = N(X(marks[m].At));
            var colour = marks[m].Kind == TimelineKind.Decision ? "#cf222e" : "#24292f";
            svg.Append($"<g class=\"marker {marks[m].Kind.Word()}\"><line x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{bottom + 6}\" stroke=\"{colour}\" stroke-dasharray=\"3,3\"/>" +
                       $"<text x=\"{x}\" y=\"{bottom + 18}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{colour}\">{m + 1}</text><title>{E(marks[m].Text)}</title></g>");
        }
        svg.Append("</svg>");
        var legend = new StringBuilder("<div class=\"legend\"><p>");
        foreach (var (spec, colour) in SpecStroke) legend.Append($"<span><span class=\"swatch\" style=\"border:2px solid {colour}\"></span>{spec} spec</span>");
        legend.Append("</p><p>");
        foreach (var state in new[] { "pending", "starting", "running", "complete", "failed", "shutdown" })
            legend.Append($"<span><span class=\"swatch\" style=\"background:{StateFill[state]}\"></span>{state}</span>");
        foreach (var (state, colour) in UpdateFill) legend.Append($"<span><span class=\"swatch\" style=\"background:{colour}\"></span>update {state.Replace('_', ' ')}</span>");
        legend.Append("</p><ol>");
        foreach (var m in marks) legend.Append($"<li>+{N((m.At - origin).TotalSeconds)}s {E(m.Text)}</li>");
        legend.Append("</ol></div>");
        return svg + legend.ToString();
    }
}
