using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.State;

namespace RecipeCi.Sweeps;

/// <summary>One recipe of a sweep: its newest release, its state, and whether it runs.</summary>
public sealed record SweepItem(RecipeEntry Entry, ReleaseTag? Latest, CanonicalRecord? Canonical, LastOutcome? Previous, SweepDecision Decision)
{
    /// <summary>Why the sweep could not even decide (the repository's tags were unreadable).</summary>
    public string? Error { get; init; }
}

/// <summary>The sweep's matrix: which recipes this runner sweeps, and at which release.</summary>
public static class SweepPlan
{
    /// <summary>The target each recipe runs as: the whole lifecycle, cold, in its own process.</summary>
    public const string RecipeTarget = "Recipe";

    /// <summary>
    /// The enrolled recipes, narrowed by --recipes, then this runner's shard. Nothing to sweep is
    /// an error: an empty sweep must never pass for a green one.
    /// </summary>
    public static IReadOnlyList<RecipeEntry> Select(Catalog catalog, IReadOnlyList<string>? names, Shard shard)
    {
        if (catalog.Recipes.Count == 0)
            throw new ConfigException($"{catalog.File}: 'recipes' enrols nothing, and a sweep of nothing is not a green sweep. Fix: enrol recipes under 'recipes:'");
        var chosen = names is null ? catalog.Recipes : names.Select(catalog.Get).ToList();
        var share = shard.Take(chosen, r => r.Name);
        return share.Count > 0 ? share
            : throw new ConfigException($"--shard={shard} holds none of the {chosen.Count} recipes selected from {catalog.File} ({string.Join(", ", chosen.Select(r => r.Name))}). Fix: split into at most {chosen.Count} shards");
    }

    /// <summary>Reads each recipe's newest release tag and its state, and decides run or skip.</summary>
    public static async Task<List<SweepItem>> DecideAsync(IReadOnlyList<RecipeEntry> recipes, Catalog catalog, CanonicalStateStore state,
        bool force, string scratch, CommandRunner runner, CancellationToken ct)
    {
        var items = new List<SweepItem>();
        foreach (var entry in recipes)
        {
            var canonical = state.ReadCanonical(entry.Name);
            var previous = state.ReadLastOutcome(entry.Name);
            try
            {
                // In ReleaseTag.Ordered's order, the one the base choice ranks versions by: the newest is last.
                var latest = (await ReleaseTagsAsync(entry, catalog, scratch, runner, ct)).LastOrDefault();
                items.Add(new SweepItem(entry, latest, canonical, previous, SweepDecision.Decide(latest, canonical, force)));
            }
            catch (Exception ex) when (ex is CommandFailedException or ConfigException or IOException)
            {
                items.Add(new SweepItem(entry, null, canonical, previous, new SweepDecision(false, "its release tags could not be read"))
                    { Error = $"cannot read the release tags of {entry.Repository}: {ex.Message}" });
            }
        }
        return items;
    }

    /// <summary>Tags of the upstream repository; a history folder is built into a repository first (same history, same commits).</summary>
    private static async Task<List<ReleaseTag>> ReleaseTagsAsync(RecipeEntry entry, Catalog catalog, string scratch, CommandRunner runner, CancellationToken ct)
    {
        var source = Catalog.ResolveSource(catalog.Directory, entry.Repository);
        if (Directory.Exists(source) && RecipeHistory.IsHistoryFolder(source))
        {
            var built = Path.Combine(scratch, entry.Name);
            if (!Directory.Exists(built)) await RecipeHistory.Load(source).BuildAsync(built, runner, ct);
            source = built;
        }
        return await GitRepository.RemoteReleaseTagsAsync(source, runner, ct);
    }
}
