using RecipeCi.Files;
using RecipeCi.Recipes;

namespace RecipeCi.Publishing;

/// <summary>A bad-input run's kept message: where it is, and what it says.</summary>
public sealed record KeptBadInput(string Path, string Message)
{
    /// <summary>
    /// Where Publish writes <paramref name="fileName"/> for this run: beside the message, named for
    /// its recipe (<c>&lt;recipe&gt;.pr-comment.md</c>), as one run id's folder holds every recipe's.
    /// </summary>
    public string Beside(string fileName) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileNameWithoutExtension(Path) + "." + fileName);
}

/// <summary>
/// A recipe run that ended as bad input (exit 2) made no run folder and no results.json, yet its PR
/// must still be told what to fix: its message is kept for Publish, redacted, at
/// <c>&lt;artifacts&gt;/bad-input/&lt;run-id&gt;/&lt;recipe&gt;.txt</c>, outside <c>runs/</c>, so that
/// nothing takes it for a run; Publish writes its files beside it (<see cref="KeptBadInput.Beside"/>).
/// Only a run whose id was given (a pipeline's, the bridge's) keeps one.
/// </summary>
public static class BadInputRecord
{
    private const string Folder = "bad-input";

    /// <summary>The folder of every run id's kept messages, which the janitor prunes.</summary>
    public static string Root(string artifacts) => Path.Combine(artifacts, Folder);

    /// <summary>Null for a recipe that is no recipe's name: it may be the very name that was bad input, and it would name a file.</summary>
    public static string? PathOf(string artifacts, string runId, string recipe) =>
        Catalog.IsRecipeName(recipe) ? Path.Combine(Root(artifacts), runId, recipe + ".txt") : null;

    public static void Keep(ArtifactWriter writer, string artifacts, string runId, string recipe, string message)
    {
        if (PathOf(artifacts, runId, recipe) is { } path) writer.Write(path, message + "\n");
    }

    public static KeptBadInput? Read(string artifacts, string runId, string recipe) =>
        PathOf(artifacts, runId, recipe) is { } path && File.Exists(path) ? new(path, File.ReadAllText(path).Trim()) : null;
}
