using RecipeCi.Recipes;
using RecipeCi.Results;

namespace RecipeCi.Reports;

/// <summary>
/// A screenshot a browser check kept, by its path inside the run's folder (where the run page lives),
/// for the run page's thumbnails and the PR comment's links.
/// </summary>
public sealed record Screenshot(StageResult Stage, CheckResult Check, string Path)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The path as a relative URL, each segment escaped.</summary>
    public string Href => string.Join("/", Path.Split('/').Select(Uri.EscapeDataString));

    public static IEnumerable<Screenshot> Of(StageResult stage, CheckResult check) =>
        (check.Screenshots ?? []).Select(s => new Screenshot(stage, check, $"{stage.Folder}/{s}"));

    public static IEnumerable<Screenshot> Of(RunResult r) => r.Stages.SelectMany(s => s.Checks.SelectMany(c => Of(s, c)));
}
