using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What is wrong with a run's source that can be known before its run folder exists: a repository
/// path on this machine that is not there, or a <c>--ref</c> that the repository does not have (bad
/// input, exit 2, naming the recipes.yaml key at file:line and the nearest refs). A repository on this
/// machine is asked with <c>git rev-parse</c>; a remote one with <c>git ls-remote</c>; a history
/// folder by the refs its <c>history.yaml</c> will create. A ref that only a clone can resolve (a
/// commit id, <c>main~1</c>) and a remote that cannot be asked are left to FetchRecipe.
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
        var where = $"{catalog.File}:{entry.KeyLines.GetValueOrDefault(key)}: recipes.{entry.Name}.{key}";
        var path = Catalog.ResolveSource(catalog.Directory, source);
        var remote = Catalog.IsRemote(source);
        if (!remote && !Directory.Exists(path))
            throw new BadInputException($"{where}: {path} does not exist. Fix: point it at a git repository (a path relative to {catalog.Directory}, or a URL)");
        if (inputs.Ref is not { } wanted) return;
        if (!remote && !RecipeHistory.IsHistoryFolder(path))
        {
            var repo = new GitRepository(path, runner);
            if (await repo.TryResolveAsync(wanted, ct) is not null) return;
            if (await repo.TryResolveAsync("HEAD", ct) is null)
                throw new BadInputException($"{where}: {path} is not a git repository with a commit. Fix: point it at one (a path relative to {catalog.Directory}, or a URL)");
            throw Missing(wanted, path, where, await repo.RefNamesAsync(ct));
        }
        var refs = remote ? await GitRepository.RemoteRefNamesAsync(source, runner, ct) : RecipeHistory.Load(path).RefNames;
        if (refs is not null && Names(wanted, refs) is false)
            throw Missing(wanted, WithoutCredentials(path), where, refs.Where(r => r != "HEAD").Select(ShortName));
    }

    /// <summary>A URL as it may be shown: a user or token in it stays out of the console and the PR comment.</summary>
    private static string WithoutCredentials(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? source.Replace(uri.UserInfo + "@", "", StringComparison.Ordinal) : source;

    private static BadInputException Missing(string wanted, string path, string where, IEnumerable<string> refs)
    {
        var nearest = Nearest(wanted, refs);
        return new BadInputException($"--ref={wanted} is not in {path} ({where}); nearest refs: " +
                                     $"{(nearest.Count == 0 ? "none (the repository has no branch or tag)" : string.Join(", ", nearest))}. " +
                                     "Fix: pass --ref=<a commit, tag or branch of that repository>");
    }

    /// <summary>
    /// Whether <paramref name="wanted"/> names one of <paramref name="refs"/> (full names, as
    /// <c>git ls-remote</c> gives them) the way git looks a name up; null when only a clone can say:
    /// a commit id or a revision expression.
    /// </summary>
    public static bool? Names(string wanted, IEnumerable<string> refs)
    {
        if (wanted.IndexOfAny(['~', '^', ':', '@', '{']) >= 0 || System.Text.RegularExpressions.Regex.IsMatch(wanted, "^[0-9a-fA-F]{4,64}$")) return null;
        // A clone keeps the branches as origin/<branch>.
        var name = wanted.StartsWith("origin/", StringComparison.Ordinal) ? "refs/heads/" + wanted["origin/".Length..] : wanted;
        string[] candidates = [name, $"refs/{name}", $"refs/tags/{name}", $"refs/heads/{name}"];
        return refs.Any(r => candidates.Contains(r, StringComparer.Ordinal));
    }

    /// <summary>A ref as a person names it: <c>main</c>, <c>1.0.0+1</c>, <c>pull/3/head</c>.</summary>
    private static string ShortName(string full) =>
        full.StartsWith("refs/heads/", StringComparison.Ordinal) ? full["refs/heads/".Length..]
        : full.StartsWith("refs/tags/", StringComparison.Ordinal) ? full["refs/tags/".Length..]
        : full.StartsWith("refs/", StringComparison.Ordinal) ? full["refs/".Length..]
        : full;

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
