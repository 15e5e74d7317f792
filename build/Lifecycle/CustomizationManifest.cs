using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What applies to this recipe beyond the defaults, printed at the start of a run and stored in
/// results.json: a maintainer can see at once which overlay, checks, probes, env, base
/// override and trust-boundary allowances shaped the verdict. Env values are not listed (they may be secret); their keys are.
/// </summary>
public static class CustomizationManifest
{
    public static Dictionary<string, object?> Describe(RecipeRun run, string? overlayFile, string? previousOverlayFile, IReadOnlySet<Rung> rungs)
    {
        var checks = Recipes.CheckReader.ReadFolder(CustomChecks.Folder(run));
        var overlay = overlayFile is null ? null : Path.Combine("overlays", run.Entry.Name, overlayFile);
        var previous = previousOverlayFile is null ? null : Path.Combine("overlays", run.Entry.Name, "previous", RecipeFetcher.OverlayName);
        string Served(params string?[] files) => files.OfType<string>().ToList() is { Count: > 0 } used ? string.Join(" + ", used) : "none";
        return new Dictionary<string, object?>
        {
            ["overlay"] = overlay,
            // Which overlay served which deploy: the previous/ one is the base's alone.
            ["overlays_by_deploy"] = previous is null ? null : $"base: {Served(overlay, previous)}; head: {Served(overlay)}",
            ["install_hook"] = InstallHook.Find(run) is { } hook ? Path.Combine("tests", run.Entry.Name, Path.GetFileName(hook)) : null,
            ["upgrade_env_keys"] = run.Entry.UpgradeEnv.Keys.Order(StringComparer.Ordinal).ToList(),
            ["base_override"] = run.Options.Base ?? run.Entry.Base,
            ["env_keys"] = run.Entry.Env.Keys.Order(StringComparer.Ordinal).ToList(),
            ["health"] = $"{run.Entry.Health.Service}:{run.Entry.Health.Port}{run.Entry.Health.Path} -> {string.Join("/", run.Entry.Health.Statuses)}",
            ["timeouts"] = new { deploy = run.Entry.Timeouts.Deploy, health = run.Entry.Timeouts.Health },
            ["probes"] = run.Entry.Probes.Select(p => p.Name).ToList(),
            ["backup_marker"] = run.Entry.Backup is { } b ? $"recipes.yaml commands in {b.Service}{(b.Verify is null ? "" : ", verify probe")}" : "default (a file in a volume kept whole)",
            ["custom_checks"] = checks.Select(c => c.After == Recipes.CheckMoment.End ? c.Name : $"{c.Name} ({CustomChecks.When(c.After)})").ToList(),
            ["rungs"] = rungs.Order().Select(r => r.Word()).ToList(),
            // The operator's allowances past the trust boundary, said up front: a run with them proves less about safety.
            ["allow"] = run.Entry.Allow.ToList(),
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
