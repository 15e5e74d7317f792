using System.Globalization;
using System.Text;
using RecipeCi.Results;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;

namespace RecipeCi.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page per run (inline CSS and SVG, no scripts, no network).
/// A run that judged something opens with its headline (verdict, level and the short cause the
/// sweep shows, one line), then where it stopped (stage, service, the task's error once) with links
/// to the forensics and the stage's log, when it started (with its zone), how long it took, the PR
/// and the index; then its facts, rungs (and which deploy judged each), stages (each browser check's
/// screenshots as thumbnails under its stage), the stages of the apps it needed, and swarm's timeline. A Plan run has a page of its
/// own: what the plan says and where it is, with no verdict.
/// </summary>
public static class RunPage
{
    public const string FileName = "report.html";

    /// <summary>The index, from a run folder (<c>runs/&lt;run-id&gt;/&lt;recipe&gt;/</c>).</summary>
    public const string IndexLink = "../../../" + ArtifactIndex.FileName;

    /// <summary>
    /// The run page's own styles. The headline stays one line at any width (its font shrinks with a
    /// phone's screen; its whole text is its title); long words and tables wrap so that a phone never scrolls sideways.
    /// </summary>
    private const string Css =
        HtmlPage.DocumentCss +
        ".headline{font-size:clamp(.75em,3.2vw,1.2em);padding:.4em .5em;border-radius:4px;margin:.5em 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}" +
        ".cause{margin:.3em 0 1em;padding-left:1.2em}.cause li{margin:.15em 0}.cause a{margin-right:.6em}" +
        ".reason,li,p{overflow-wrap:anywhere}svg{max-width:100%;height:auto}" +
        ".legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:1em;height:.8em;margin-right:.3em;vertical-align:middle}" +
        ".thumbs a{display:inline-block;margin:.3em .6em 0 0;font-size:.85em}.thumbs img{display:block;width:240px;max-height:180px;object-fit:cover;object-position:top;border:1px solid #bbb}";

    /// <summary>The target whose run only plans (<c>Mode</c> is the target's name in lower case).</summary>
    public const string PlanMode = "plan";

    /// <param name="dependencies">The runs of the apps the recipe needs, each with its folder relative to this run's (<c>deps/&lt;recipe&gt;</c>).</param>
    public static string Render(RunResult r, TimelineFile timeline, IReadOnlyList<(string Folder, RunResult Run)>? dependencies = null) =>
        r.Mode == PlanMode ? RenderPlan(r) : RenderRun(r, timeline, dependencies ?? []);

    private static string RenderRun(RunResult r, TimelineFile timeline, IReadOnlyList<(string Folder, RunResult Run)> dependencies)
    {
        var html = new StringBuilder();
        var stopped = r.StoppingStage();
        var word = r.Verdict.Word().Replace('_', ' ').ToUpperInvariant();
        var cause = ShortCause.Of(r.Verdict, noVerdict: false, stopped, r.Reason);
        var headline = $"{word}, L{r.Level}{(cause is null ? "" : $" — {cause}")}";
        html.AppendLine($"<p class=\"headline {r.Verdict.Word()}\" title=\"{Encode(headline)}\"><strong>{Encode(word)}</strong>, L{r.Level}" +
                        (cause is null ? "" : $" &mdash; {Encode(cause)}") + "</p>");
        html.AppendLine("<ul class=\"cause\">");
        if (stopped is not null) html.AppendLine(Stopped(stopped));
        html.AppendLine($"<li>started {Encode(When(r.StartedAt))}, {Encode(Duration(r))}, {Encode(r.Pr is null ? "no PR" : $"PR #{r.Pr}")} " +
                        $"&middot; <a href=\"{IndexLink}\">all recipes</a></li></ul>");
        html.AppendLine("<table>" + Facts(
            ("recipe", r.Recipe), ("target", r.Mode), ("ref", r.Ref), ("upgrade", $"{r.BaseVersion ?? "(no base)"} → {r.HeadVersion ?? "(no version label)"}"),
            ("driver", r.Driver), ("run", r.RunId), ("app", $"{r.AppDomain} (stack {r.Stack})")) + "</table>");
        if (r.SinceGreen is { } since)
            html.AppendLine($"<h2>{Encode(char.ToUpperInvariant(since.Heading[0]) + since.Heading[1..])}</h2><pre class=\"since\">{Encode(string.Join("\n", since.Lines()))}</pre>");
        html.AppendLine("<h2>Rungs</h2><table><tr>" + string.Concat(Rungs.All.Select(g => $"<th>L{(int)g + 1} {g.Word()}</th>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => r.Rungs.TryGetValue(g, out var s) ? $"<td class=\"{s.Word()}\">{s.Word()}</td>" : "<td>-</td>")) + "</tr><tr>" +
                        string.Concat(Rungs.All.Select(g => $"<td class=\"judged\">{(r.DeploysJudged.TryGetValue(g, out var d) ? "judged: " + Encode(d) : "")}</td>")) + "</tr></table>");
                html.AppendLine(Stages(r.Stages, ""));
        foreach (var (folder, d) in dependencies)
        {
            html.AppendLine($"<h2>Dependency {Encode(d.Recipe)}</h2><p><span class=\"{d.Verdict.Word()}\">{Encode(d.Verdict.Word())}</span>, app {Encode(d.AppDomain)} " +
                            $"(stack {Encode(d.Stack)}): <a href=\"{Encode(folder)}/{FileName}\">its run page</a></p>");
            html.AppendLine(Stages(d.Stages, folder + "/"));
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

    /// <summary>Where the run stopped: the stage, the failed service and its task's error (once), then links to what the stage left.</summary>
    private static string Stopped(StageResult s)
    {
        var where = $"<li>stopped at <a href=\"{Encode(s.Folder)}/\">{Encode(s.Name)}</a>" +
                    (s.Failure is { } f ? $", service <strong>{Encode(f.Service)}</strong>" : "") + "</li>";
        var error = s.Failure?.Error is { } e ? $"<li>task error: <code>{Encode(e)}</code></li>" : "";
        var links = string.Concat(s.Evidence.Select(file => $"<a href=\"{Encode(s.Folder)}/{Encode(file)}\">{Encode(file)}</a>"));
        return where + error + $"<li>{(links.Length == 0 ? "" : "forensics: " + links + " ")}log: <a href=\"{Encode(s.Folder)}/{StageRecorder.LogFile}\">{StageRecorder.LogFile}</a></li>";
    }

    private static string Facts(params (string Name, string? Value)[] facts) =>
        string.Concat(facts.Select(f => $"<tr><th>{f.Name}</th><td>{Encode(f.Value)}</td></tr>"));

    /// <summary>Stages with links to their folders, under <paramref name="prefix"/> (a dependency's folder) or this run's, each browser check's screenshots under its stage.</summary>
    private static string Stages(IEnumerable<StageResult> stages, string prefix)
    {
        var html = new StringBuilder((prefix.Length == 0 ? "<h2>Stages</h2>" : "") + "<table class=\"stages\"><tr><th>stage</th><th>outcome</th><th>seconds</th><th>reason</th></tr>");
        foreach (var s in stages)
        {
            html.Append($"<tr><td><a href=\"{Encode(prefix + s.Folder)}/\">{Encode(s.Folder)}</a></td><td class=\"{s.Status.Word()}\">{s.Status.Word()}</td>" +
                        $"<td>{s.DurationS.ToString("0.0", CultureInfo.InvariantCulture)}</td><td class=\"reason\">{Encode(Short(s.Reason))}</td></tr>");
            foreach (var check in s.Checks.Where(c => c.Screenshots is { Count: > 0 })) html.Append(Thumbnails(s, check, prefix));
        }
        return html.Append("</table>").ToString();
    }

    /// <summary>A Plan run: what it resolved and the link to <c>plan.json</c>; no verdict, since nothing was tested.</summary>
    private static string RenderPlan(RunResult r)
    {
        var planStage = r.Stages.FirstOrDefault(s => s.Stage == StageId.PlanSummary);
        var plan = planStage is { Status: StageStatus.Passed } p
            ? $"<a href=\"{Encode(p.Folder)}/{Lifecycle.PlanSummary.FileName}\">{Lifecycle.PlanSummary.FileName}</a>"
            : $"not made: {Encode(r.StoppingStage()?.Reason ?? r.Reason)}";
        var html = new StringBuilder();
        html.AppendLine($"<h1>Plan of {Encode(r.Recipe)} at {Encode(r.Ref)}</h1>");
        html.AppendLine($"<ul class=\"cause\"><li>the plan: {plan}</li><li>made {Encode(When(r.StartedAt))}, {Encode(Duration(r))} &middot; " +
                        $"<a href=\"{IndexLink}\">all recipes</a></li></ul>");
        html.AppendLine("<table>" + Facts(("recipe", r.Recipe), ("ref", r.Ref), ("head", r.HeadVersion ?? "(no version label)"), ("base", r.BaseVersion ?? "(no base)"),
            ("rungs", string.Join(", ", r.Planned.Select(g => g.Word()))), ("app", $"{r.AppDomain} (stack {r.Stack})"), ("run", r.RunId)) + "</table>");
        html.AppendLine(Stages(r.Stages, ""));
        return HtmlPage.Render($"Recipe CI plan of {r.Recipe}", Css, html.ToString());
    }

    /// <summary>A time with its zone: "2026-11-29 08:00:32 UTC", or its offset when it is not UTC.</summary>
    public static string When(DateTimeOffset at) =>
        at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (at.Offset == TimeSpan.Zero ? " UTC" : at.ToString(" 'UTC'zzz", CultureInfo.InvariantCulture));

    private static string Duration(RunResult r) =>
        r.FinishedAt is { } end ? $"took {(end - r.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "still running";

    private static string Short(string? reason) => reason is null ? "" : reason.Length <= 200 ? reason : reason[..199] + "…";

    /// <summary>The SVG timeline and its legend; a run that deployed nothing says so.</summary>
    public static string Timeline(TimelineFile timeline) =>
        TimelineGeometry.Of(timeline) is { } layout ? TimelineMarkup.Svg(layout) + TimelineMarkup.Legend(layout) : "<p>No deploy was watched in this run.</p>";
}
