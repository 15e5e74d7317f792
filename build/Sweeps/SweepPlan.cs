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
}
