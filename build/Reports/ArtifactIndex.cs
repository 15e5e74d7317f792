using System.Text;
using RecipeCi.Files;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;
using static RecipeCi.Reports.HtmlPage;

namespace RecipeCi.Reports;

/// <summary>One recipe's line of the index: its newest run, its canonical release, its last sweep and the newest sweeps that ran it.</summary>
public sealed record IndexEntry(string Recipe, RunResult? Latest, string? LatestPage, CanonicalRecord? Canonical, LastOutcome? LastSweep,
    IReadOnlyList<SweepHistoryEntry> History);

/// <summary>
/// <c>artifacts/index.html</c> and <c>artifacts/badges/&lt;recipe&gt;.svg</c>: every recipe with a
/// run or a state record, its canonical release and level, how the last sweep that ran it ended,
/// its history strip, and a link to its newest run page that judged the recipe (<see cref="RunResult.JudgedTheRecipe"/>:
/// a Plan, a Lint or a run that ended in error never replaces it); a badge with that run's level and verdict for the
/// recipe's README; then every sweep's page, newest first. Rewritten (atomically) at the end of every run and sweep; links are relative.
/// Reads the runs under <paramref name="artifacts"/> and the sweeps' state in <paramref name="stateDir"/>; writes through <paramref name="writer"/>.
/// </summary>
public sealed class ArtifactIndex(string artifacts, string stateDir, ArtifactWriter writer)
{
    public const string FileName = "index.html";
    public const string BadgeFolder = "badges";

    public IReadOnlyList<IndexEntry> Read()
    {
        var runs = Directory.Exists(Path.Combine(artifacts, "runs"))
            ? Directory.EnumerateFiles(Path.Combine(artifacts, "runs"), RunResult.FileName, SearchOption.AllDirectories).Select(TryRead).OfType<(RunResult Result, string Path)>().ToList()
            : [];
        var state = new CanonicalStateStore(stateDir);
        var names = runs.Select(r => r.Result.Recipe)
            .Concat(StateNames("canonical")).Concat(StateNames("last-sweep")).Concat(StateNames("history"))
            .Distinct().Order(StringComparer.Ordinal);
        return names.Select(name =>
        {
            var latest = runs.Where(r => r.Result.Recipe == name && r.Result.JudgedTheRecipe).OrderByDescending(r => r.Result.StartedAt)
                .Select(r => ((RunResult Result, string Path)?)r).FirstOrDefault();
            var page = latest is { } l ? Path.GetRelativePath(artifacts, Path.Combine(Path.GetDirectoryName(l.Path) ?? "", RunPage.FileName)) : null;
            return new IndexEntry(name, latest?.Result, page, state.TryReadCanonical(name), state.TryReadLastOutcome(name),
                state.TryReadHistory(name).Strip());
        }).ToList();
    }

    /// <summary>Writes the index and the badges; a failure is said, never the run's.</summary>
    public void Write(Action<string> say)
    {
        try
        {
            var entries = Read();
            writer.Write(Path.Combine(artifacts, FileName), Html(entries, SweepPages()));
            foreach (var (recipe, latest) in entries.Select(e => (e.Recipe, e.Latest)))
                if (latest is not null)
                    writer.Write(Path.Combine(artifacts, BadgeFolder, recipe + ".svg"), Badge(latest.Level, latest.Verdict));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            say($"could not write {Path.Combine(artifacts, FileName)}: {ex.Message}");
        }
    }

    /// <summary>Every sweep's page, relative to the artifacts folder, newest first (sweep ids begin with their time).</summary>
    public IReadOnlyList<string> SweepPages() =>
        Directory.Exists(Path.Combine(artifacts, SweepsFolder))
            ? [.. Directory.EnumerateFiles(Path.Combine(artifacts, SweepsFolder), SweepReportWriter.Html, SearchOption.AllDirectories)
                .Select(page => Path.GetRelativePath(artifacts, page)).OrderDescending(StringComparer.Ordinal)]
            : [];

    /// <summary>Where the sweeps' folders are, under the artifacts folder.</summary>
    public const string SweepsFolder = "sweeps";

    private static (RunResult, string)? TryRead(string path)
    {
        try { return (RunResult.Read(path), path); }
        catch (Exception ex) when (ex is IOException or InvalidDataException or Newtonsoft.Json.JsonException) { return null; }
    }

    private IEnumerable<string> StateNames(string folder) =>
        Directory.Exists(Path.Combine(stateDir, folder))
            ? Directory.EnumerateFiles(Path.Combine(stateDir, folder), "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            : [];

    /// <summary>A flat two-part badge: "recipe-ci" and the level with the verdict's word.</summary>
    public static string Badge(int level, Verdict verdict)
    {
        var right = $"L{level} {verdict.Word()}";
        var rightWidth = 10 + right.Length * 7;
        var width = 62 + rightWidth;
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" role=\"img\" aria-label=\"recipe-ci: {right}\">" +
               $"<title>recipe-ci: {right}</title><rect width=\"62\" height=\"20\" fill=\"#555\"/><rect x=\"62\" width=\"{rightWidth}\" height=\"20\" fill=\"{Palette.Level(level)}\"/>" +
               "<g fill=\"#fff\" font-family=\"Verdana,sans-serif\" font-size=\"11\">" +
               $"<text x=\"6\" y=\"14\">recipe-ci</text><text x=\"67\" y=\"14\">{Encode(right)}</text></g></svg>";
    }

    private static string Html(IReadOnlyList<IndexEntry> entries, IReadOnlyList<string> sweeps)
    {
        var html = new StringBuilder();
        html.Append("<h1>Recipe CI</h1><table><tr><th>recipe</th><th>canonical release</th><th>last sweep</th><th>history</th><th>newest run</th><th>verdict</th><th>level</th><th>when</th></tr>");
        foreach (var e in entries)
        {
            var canonical = e.Canonical is { } c ? $"{Encode(c.Version)} (L{c.Level})" : "-";
            var sweep = e.LastSweep is { } s ? $"<span class=\"{s.Verdict.Word()}\">{s.Verdict.Word()}</span> {Encode(s.Version)}" : "-";
            var run = e.Latest is { } r ? $"<a href=\"{Encode(e.LatestPage)}\">{Encode(r.RunId)}</a>" : "-";
            var verdict = e.Latest is { } v ? $"<td class=\"{v.Verdict.Word()}\">{v.Verdict.Word()}</td><td>L{v.Level}</td>" : "<td>-</td><td>-</td>";
            var when = e.Latest is { } w ? RunPage.When(w.StartedAt) : "-";
            html.Append($"<tr><td>{Encode(e.Recipe)}</td><td>{canonical}</td><td>{sweep}</td><td>{HistoryStrip.Html(e.History)}</td><td>{run}</td>{verdict}<td>{when}</td></tr>");
        }
        html.Append("</table><h2>Sweeps</h2>");
        html.Append(sweeps.Count == 0 ? "<p>No sweep yet.</p>"
            : "<ul>" + string.Concat(sweeps.Select(p => $"<li><a href=\"{Encode(p.Replace('\\', '/'))}\">{Encode(Path.GetFileName(Path.GetDirectoryName(p)))}</a></li>")) + "</ul>");
        return HtmlPage.Render("Recipe CI", HtmlPage.DocumentCss + HistoryStrip.Css, html.ToString());
    }
}
