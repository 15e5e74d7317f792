using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>
/// The commit status for the PR head (<c>commit-status.json</c>), in the shape Gitea's and
/// GitHub's status APIs take. <c>pending</c> is posted by the trigger bridge when it starts the
/// build; this is the end state.
/// </summary>
public sealed record CommitStatus(string State, string Context, string Description, string? TargetUrl)
{
    public const string FileName = "commit-status.json";
    /// <summary>Gitea and GitHub cut descriptions at 140 characters; cut here, where it can be said.</summary>
    private const int MaxDescription = 140;

    public static CommitStatus From(RunResult r, bool quick, Func<string, string?> env)
    {
        var state = r.Verdict switch
        {
            Verdict.Passed => "success",
            Verdict.Error => "error",
            _ => "failure",
        };
        var description = $"L{r.Level} {r.Verdict.Word()}" + (r.Reason is null ? "" : ": " + r.Reason);
        return new CommitStatus(state, ContextOf(r.Recipe, quick), Cut(description), RunPageLink.Of(r, env) ?? env("DRONE_BUILD_LINK"));
    }

    /// <summary>The run left no results at all: an error of the harness, never a pass or a recipe failure.</summary>
    public static CommitStatus Missing(string recipe, bool quick, string path, Func<string, string?> env) =>
        new("error", ContextOf(recipe, quick), Cut($"no results: the run ended before writing {Path.GetFileName(path)}"), env("DRONE_BUILD_LINK"));

    /// <summary>The run stopped at bad input (exit 2) before testing anything: an error, with what it said.</summary>
    public static CommitStatus BadInput(string recipe, bool quick, string message, Func<string, string?> env) =>
        new("error", ContextOf(recipe, quick), Cut($"bad input: {message}"), env("DRONE_BUILD_LINK"));

    private static string ContextOf(string recipe, bool quick) => $"recipe-ci/{recipe}{(quick ? "/quick" : "")}";

    private static string Cut(string text) => text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";
}
