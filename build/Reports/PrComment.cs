using System.Text;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>
/// The PR comment for a run, as Markdown: the verdict and level, the rung table, the reason, and
/// links from Drone's variables. Built from results.json only, so it can never say more than the
/// run found. A hidden marker per recipe lets the poster update its earlier comment.
/// </summary>
public static class PrComment
{
    public const string FileName = "pr-comment.md";

    public static string Marker(string recipe) => $"<!-- recipe-ci:{recipe} -->";

    public static string Render(RunResult r, bool quick, Func<string, string?> env)
    {
        var md = new StringBuilder();
        md.AppendLine(Marker(r.Recipe));
        md.AppendLine($"### Recipe CI: {r.Recipe} {r.Verdict.Word().ToUpperInvariant()}, level L{r.Level}").AppendLine();
        md.AppendLine(quick
            ? "Quick run (`!testme --quick`): not every rung was run, so it says less than a full run; it never gates a merge."
            : "Full run (`!testme`): the whole lifecycle, cold.");
        md.AppendLine();
        md.AppendLine($"Head `{Short(r.Ref)}` ({r.HeadVersion ?? "no version label"}), upgraded from {(r.BaseVersion is null ? "no base release" : $"`{r.BaseVersion}`")}, with the {r.Driver} abra driver.").AppendLine();
        md.AppendLine("| level | rung | result | deploy judged |");
        md.AppendLine("|---|---|---|---|");
        var judged = r.DeploysJudged;
        foreach (var rung in Rungs.All)
        {
            var status = r.Rungs.TryGetValue(rung, out var s) ? s : RungStatus.Unverified;
            md.AppendLine($"| L{(int)rung + 1} | {rung.Word()} | {Mark(status)} | {judged.GetValueOrDefault(rung, "none")} |");
        }
        md.AppendLine();
        if (r.ColdInstallServed)
            md.AppendLine(r.Verdict == Verdict.BaselineBroken
                ? "The base release would not install, so the head was installed cold: install, backup/restore and custom checks were tried on that install and show their own results; the upgrade stays unverified."
                : "The upgrade failed, so the head was then installed cold: backup/restore and custom checks were tried on that install and show their own results.").AppendLine();
        if (r.Verdict == Verdict.Refused)
            md.AppendLine("**Refused:** the recipe reaches into the CI host, so Recipe CI did not deploy it (see the trust boundary in Recipe CI's README).").AppendLine();
        if (ShortCause.Of(r.Verdict, false, r.StoppingStage(), r.Reason) is { } cause) md.AppendLine($"**Cause:** {cause}").AppendLine();
        if (r.Reason is not null) md.AppendLine($"**Why:** {r.Reason.Replace("\n", " ")}").AppendLine();
        if (Screenshots(r, env) is { } shots) md.AppendLine(shots).AppendLine();
        if (r.SinceGreen is { } since)
            md.AppendLine($"**What changed {since.Heading}:**").AppendLine().AppendLine("```").AppendLine(string.Join("\n", since.Lines()).Replace("```", "'''")).AppendLine("```").AppendLine();
        if (r.Allow.Count > 0)
            md.AppendLine($"**Allowed by the operator** (recipes.yaml `allow: [{string.Join(", ", r.Allow)}]`): " +
                (r.Allowed.Count == 0 ? "nothing of it was used." : string.Join("; ", r.Allowed.Select(f => $"{f.Rule} {f.Name} at `{f.Where}`: {f.Message}")))).AppendLine();
        var links = new List<string>();
        if (RunPageLink.Of(r, env) is { } page) links.Add($"[run page]({page})");
        if (env("DRONE_BUILD_LINK") is { Length: > 0 } build) links.Add($"[Drone build]({build})");
        links.Add($"evidence: `runs/{r.RunId}/{r.Recipe}/` (results.json, junit.xml, a folder per stage)");
        md.AppendLine(string.Join(" · ", links));
        return md.ToString();
    }

    /// <summary>The comment when the run left no results.json: an error of the harness, said plainly.</summary>
    public static string Missing(string recipe, string path, Func<string, string?> env) =>
        $"{Marker(recipe)}\n### Recipe CI: {recipe} ERROR, no verdict\n\nThe run ended before writing `{Path.GetFileName(path)}`, so nothing about the recipe is known." +
        (env("DRONE_BUILD_LINK") is { Length: > 0 } build ? $" See the [Drone build]({build}).\n" : "\n");

    /// <summary>
    /// The comment when the run stopped at bad input (exit 2) before testing anything: what it said
    /// (file:line, the key and the fix), as a block that Markdown leaves as it is.
    /// </summary>
    public static string BadInput(string recipe, string message, Func<string, string?> env) =>
        $"{Marker(recipe)}\n### Recipe CI: {recipe} ERROR, no verdict: bad input\n\n" +
        "The run stopped before it tested anything: Recipe CI was given bad input (exit 2), so nothing about the recipe is known. " +
        "Fix what it names, then comment `!testme` again." +
        (env("DRONE_BUILD_LINK") is { Length: > 0 } build ? $" See the [Drone build]({build})." : "") +
        $"\n\n```\n{message.Replace("```", "'''")}\n```\n";

    /// <summary>
    /// The browser checks' screenshots, each check's linked where the run's folder is served
    /// (<see cref="RunPageLink"/>), else named by its path in the evidence; null when there are none.
    /// </summary>
    private static string? Screenshots(RunResult r, Func<string, string?> env)
    {
        var folder = RunPageLink.Folder(r, env);
        var checks = Screenshot.Of(r).GroupBy(s => (s.Stage.Folder, s.Check.Name)).Select(g =>
            $"{g.Key.Name} ({g.First().Stage.Name}): " + string.Join(", ", g.Select(s =>
                folder is null ? $"`runs/{r.RunId}/{r.Recipe}/{s.Path}`" : $"[{s.FileName}]({folder}{s.Href})"))).ToList();
        return checks.Count == 0 ? null : "**Screenshots:** " + string.Join(" · ", checks);
    }

    private static string Short(string? sha) => sha is null ? "(unknown)" : sha.Length > 12 ? sha[..12] : sha;

    private static string Mark(RungStatus s) => s switch
    {
        RungStatus.Pass => "✔ pass",
        RungStatus.Fail => "✘ fail",
        RungStatus.Skip => "– skip",
        RungStatus.Gap => "◌ gap (could not run, not declared not applicable: blocks the level)",
        _ => "⊘ unverified",
    };
}
