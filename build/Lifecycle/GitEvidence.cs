using RecipeCi.Evidence;
using RecipeCi.Recipes;

namespace RecipeCi.Lifecycle;

/// <summary>Where a recipe tree stands (HEAD, describe, dirt, release tags), kept in a stage folder.</summary>
public static class GitEvidence
{
    public static async Task WriteAsync(GitRepository repo, StageRecorder stage, string file, CancellationToken ct)
    {
        var tags = await repo.ReleaseTagsAsync(ct);
        stage.Write(file,
            $"HEAD: {await repo.HeadAsync(ct)}\n" +
            $"describe: {await repo.DescribeAsync(ct)}\n" +
            $"status (dirty when not empty):\n{await repo.StatusAsync(ct)}\n" +
            $"release tags: {string.Join(", ", tags.Select(t => $"{t.Name}={t.Commit[..8]}"))}\n");
    }
}
