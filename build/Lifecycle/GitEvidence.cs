using RecipeCi.Evidence;
using RecipeCi.Recipes;

namespace RecipeCi.Lifecycle;

/// <summary>Where a recipe tree stands (HEAD, describe, dirt, release tags, and in FetchRecipe the base choice), kept in a stage folder.</summary>
public static class GitEvidence
{
    /// <param name="baseChoice">FetchRecipe's account of the base: the head and why each tag was taken or passed over.</param>
    public static async Task WriteAsync(GitRepository repo, StageRecorder stage, string file, CancellationToken ct, IReadOnlyList<string>? baseChoice = null)
    {
        var tags = await repo.ReleaseTagsAsync(ct);
        stage.Write(file,
            $"HEAD: {await repo.HeadAsync(ct)}\n" +
            $"describe: {await repo.DescribeAsync(ct)}\n" +
            $"status (dirty when not empty):\n{await repo.StatusAsync(ct)}\n" +
            $"release tags: {string.Join(", ", tags.Select(t => $"{t.Name}={t.Commit[..8]}"))}\n" +
            (baseChoice is null ? "" : $"base choice:\n{string.Join("\n", baseChoice)}\n"));
    }
}
