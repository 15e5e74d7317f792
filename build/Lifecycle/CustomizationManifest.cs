using RecipeCi.Checks;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What applies to this recipe beyond the defaults, printed at the start of a run and stored in
/// results.json: a maintainer can see at once which overlay, checks, probes, env, base
/// override and trust-boundary allowances shaped the verdict. Env values are not listed (they may be secret); their keys are.
/// </summary>
public static class CustomizationManifest
{
    /// <param name="baseOverride">The run's <c>--base</c>, which wins over the catalogue's.</param>
    /// <param name="checks">The recipe's custom checks, at every moment.</param>
    /// <param name="installHook">The recipe's install hook, if it has one.</param>
    public static Dictionary<string, object?> Describe(RecipeEntry entry, string? baseOverride, IReadOnlyList<CheckSpec> checks, string? installHook,
        string? overlayFile, string? previousOverlayFile, IReadOnlySet<Rung> rungs)
    {
        var overlay = overlayFile is null ? null : Path.Combine("overlays", entry.Name, overlayFile);
        var previous = previousOverlayFile is null ? null : Path.Combine("overlays", entry.Name, "previous", FetchRecipe.OverlayName);
        string Served(params string?[] files) => files.OfType<string>().ToList() is { Count: > 0 } used ? string.Join(" + ", used) : "none";
        return new Dictionary<string, object?>
        {
            ["overlay"] = overlay,
            // Which overlay served which deploy: the previous/ one is the base's alone.
            ["overlays_by_deploy"] = previous is null ? null : $"base: {Served(overlay, previous)}; head: {Served(overlay)}",
            ["install_hook"] = installHook is null ? null : Path.Combine("tests", entry.Name, Path.GetFileName(installHook)),
            ["upgrade_env_keys"] = entry.UpgradeEnv.Keys.Order(StringComparer.Ordinal).ToList(),
            ["base_override"] = baseOverride ?? entry.Base,
            ["env_keys"] = entry.Env.Keys.Order(StringComparer.Ordinal).ToList(),
            ["health"] = $"{entry.Health.Service}:{entry.Health.Port}{entry.Health.Path} -> {string.Join("/", entry.Health.Statuses)}",
            ["timeouts"] = new { deploy = entry.Timeouts.Deploy, health = entry.Timeouts.Health },
            ["probes"] = entry.Probes.Select(p => p.Name).ToList(),
            ["backup_marker"] = entry.Backup is { } b ? $"recipes.yaml commands in {b.Service}{(b.Verify is null ? "" : ", verify probe")}" : "default (a file in a volume kept whole)",
            ["custom_checks"] = checks.Select(c => c.After == CheckMoment.End ? c.Name : $"{c.Name} ({CustomChecks.When(c.After)})").ToList(),
            ["rungs"] = rungs.Order().Select(r => r.Word()).ToList(),
            // The operator's allowances past the trust boundary, said up front: a run with them proves less about safety.
            ["allow"] = entry.Allow.ToList(),
        };
    }

    /// <summary>
    /// The manifest with how the upgrade's data marker was written (or why none could be), and
    /// what the upgrade added to the app (keys, secrets by name and version), once it has.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> WithUpgrade(IReadOnlyDictionary<string, object?> manifest, EnvUpgrade? upgrade, string? upgradeMarker)
    {
        var with = new Dictionary<string, object?>(manifest);
        if (upgradeMarker is not null) with["upgrade_marker"] = upgradeMarker;
        if (upgrade is null) return with;
        with["added_env_keys"] = upgrade.AddedKeys;
        with["generated_secrets"] = upgrade.GeneratedSecrets.Select(s => $"{s.Name} {s.Version}").ToList();
        return with;
    }

    public static IEnumerable<string> Lines(IReadOnlyDictionary<string, object?> manifest) =>
        manifest.Select(kv => $"  {kv.Key}: {kv.Value switch
        {
            null => "(none)",
            System.Collections.IEnumerable list and not string => string.Join(", ", list.Cast<object>()) is { Length: > 0 } text ? text : "(none)",
            var v => v.ToString(),
        }}");
}
