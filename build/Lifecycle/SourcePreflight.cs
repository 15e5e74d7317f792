using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What is wrong with a run's source that can be known before its run folder exists: a repository
/// path on this machine that is not there, or a <c>--ref</c> that such a repository does not have
/// (bad input, exit 2, naming the recipes.yaml key and the nearest refs). A remote repository and a
/// history folder (built into the run folder) are checked by FetchRecipe when it fetches them.
/// </summary>
public sealed class SourcePreflight(CommandRunner runner)
{
    /// <summary>How many of the nearest refs a wrong <c>--ref</c> lists.</summary>
    public const int NearestCount = 5;

    public async Task CheckAsync(Catalog catalog, RecipeEntry entry, RunInputs inputs, CancellationToken ct)
    {
        // The ref is looked up where FetchRecipe will look: the mirror for a PR or a ref when there is one.
        var (key, source) = entry.Mirror is not null && (inputs.Pr is not null || inputs.Ref is not null)
            ? ("mirror", entry.Mirror)
            : ("repository", entry.Repository);
        if (Catalog.IsRemote(source)) return;
        var path = Catalog.ResolveSource(catalog.Directory, source);
        var where = $"recipes.{entry.Name}.{key} in {catalog.File}";
        if (!Directory.Exists(path))
            throw new BadInputException($"{where}: {path} does not exist. Fix: point it at a git repository (a path relative to {catalog.Directory}, or a URL)");
        if (inputs.Ref is not { } wanted || RecipeHistory.IsHistoryFolder(path)) return;
        var repo = new GitRepository(path, runner);
        if (await repo.TryResolveAsync(wanted, ct) is not null) return;
        if (await repo.TryResolveAsync("HEAD", ct) is null)
            throw new BadInputException($"{where}: {path} is not a git repository with a commit. Fix: point it at one (a path relative to {catalog.Directory}, or a URL)");
        var nearest = Nearest(wanted, await repo.RefNamesAsync(ct));
        throw new BadInputException($"--ref={wanted} is not in {path} ({where}); nearest refs: " +
                                    $"{(nearest.Count == 0 ? "none (the repository has no branch or tag)" : string.Join(", ", nearest))}. " +
                                    "Fix: pass --ref=<a commit, tag or branch of that repository>");
    }

    /// <summary>The names closest to what was asked for (fewest edits, then by name), at most <see cref="NearestCount"/>.</summary>
    public static IReadOnlyList<string> Nearest(string wanted, IEnumerable<string> names) =>
        [.. names.Distinct().OrderBy(n => Edits(wanted, n)).ThenBy(n => n, StringComparer.Ordinal).Take(NearestCount)];

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions from one text to the other.</summary>
    private static int Edits(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
