using System.Text.RegularExpressions;
using RecipeCi.Files;

namespace RecipeCi.Publishing;

/// <summary>
/// A recipe run that ended as bad input (exit 2) made no run folder and no results.json, yet its PR
/// must still be told what to fix: its message is kept for Publish, redacted, at
/// <c>&lt;artifacts&gt;/bad-input/&lt;run-id&gt;/&lt;recipe&gt;.txt</c>, outside <c>runs/</c>, so that
/// nothing takes it for a run. Only a run whose id was given (a pipeline's, the bridge's) keeps one.
/// </summary>
public static partial class BadInputRecord
{
    public const string Folder = "bad-input";

    // The recipe may be the very name that was bad input: it becomes a file name only when it is a recipe name.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex RecipeName();

    public static string? PathOf(string artifacts, string runId, string recipe) =>
        RecipeName().IsMatch(recipe) ? Path.Combine(artifacts, Folder, runId, recipe + ".txt") : null;

    public static void Keep(ArtifactWriter writer, string artifacts, string runId, string recipe, string message)
    {
        if (PathOf(artifacts, runId, recipe) is { } path) writer.Write(path, message + "\n");
    }

    public static string? Read(string artifacts, string runId, string recipe) =>
        PathOf(artifacts, runId, recipe) is { } path && File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
