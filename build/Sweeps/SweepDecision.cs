using RecipeCi.Recipes;
using RecipeCi.State;

namespace RecipeCi.Sweeps;

/// <summary>Whether a sweep runs a recipe, and why (the reason lands in the report as it is).</summary>
public sealed record SweepDecision(bool Run, string Reason)
{
    public const string NeverReleased = "never released";
    public const string NoNewVersion = "no new version";

    /// <summary>
    /// Run when the newest release tag is newer than the canonical one (or there is no canonical,
    /// or --force); skip a recipe that was never released, and one whose newest release is already
    /// canonical. Keyed on release versions, not commits: a commit on main is not a release.
    /// </summary>
    public static SweepDecision Decide(ReleaseTag? latest, CanonicalRecord? canonical, bool force)
    {
        if (latest is null) return new(false, $"{NeverReleased}: the repository has no release tag");
        if (force) return new(true, $"forced (--force): {latest.Name}");
        if (canonical is null) return new(true, $"{latest.Name}: no canonical release yet");
        if (!RecipeVersion.TryParse(canonical.Version, out var canonicalVersion))
            return new(true, $"{latest.Name}: the canonical version '{canonical.Version}' is not a recipe version");
        return latest.Version > canonicalVersion
            ? new(true, $"{latest.Name} is newer than the canonical {canonical.Version}")
            : new(false, $"{NoNewVersion}: {canonical.Version} is canonical since {canonical.At:yyyy-MM-dd HH:mm}Z (run {canonical.RunId}); --force runs it");
    }
}
