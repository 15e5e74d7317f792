using RecipeCi.Results;


namespace RecipeCi.Reports;

/// <summary>
/// Where a run's page is served: <c>RECIPE_CI_ARTIFACTS_URL</c> (Drone's artifact location, where
/// the artifacts folder is published) plus the page's path inside it. Unset, nothing links to it.
/// </summary>
public static class RunPageLink
{
    public const string Variable = "RECIPE_CI_ARTIFACTS_URL";

    public static string? Of(RunResult r, Func<string, string?> env) => Folder(r, env) is { } folder ? folder + RunPage.FileName : null;

    /// <summary>The run's folder as served, ending in a slash: the run page's paths are relative to it.</summary>
    public static string? Folder(RunResult r, Func<string, string?> env) =>
        env(Variable) is { Length: > 0 } root ? $"{root.TrimEnd('/')}/runs/{Uri.EscapeDataString(r.RunId)}/{Uri.EscapeDataString(r.Recipe)}/" : null;
}
