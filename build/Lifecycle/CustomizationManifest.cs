using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What applies to this recipe beyond the defaults, printed at the start of a run and stored in
/// results.json: a maintainer can see at once which overlay, checks, probes, env, base
/// override and trust-boundary allowances shaped the verdict. Env values are not listed (they may be secret); their keys are.
/// </summary>
public static class CustomizationManifest
{
    public static Dictionary<string, object?> Describe(RecipeRun run, string? overlayFile, IReadOnlySet<Rung> rungs)
    {
        var checks = Checks.CheckReader.ReadFolder(CustomChecks.Folder(run));
        return new Dictionary<string, object?>
        {
            ["overlay"] = overlayFile is null ? null : Path.Combine("overlays", run.Entry.Name, overlayFile),
            ["base_override"] = run.Options.Base ?? run.Entry.Base,
            ["env_keys"] = run.Entry.Env.Keys.Order(StringComparer.Ordinal).ToList(),
            ["health"] = $"{run.Entry.Health.Service}:{run.Entry.Health.Port}{run.Entry.Health.Path} -> {string.Join("/", run.Entry.Health.Statuses)}",
            ["timeouts"] = new { deploy = run.Entry.Timeouts.Deploy, health = run.Entry.Timeouts.Health },
            ["probes"] = run.Entry.Probes.Select(p => p.Name).ToList(),
            ["backup_marker"] = run.Entry.Backup is { } b ? $"recipes.yaml commands in {b.Service}{(b.Verify is null ? "" : ", verify probe")}" : "default (a file in a volume kept whole)",
            ["custom_checks"] = checks.Select(c => c.Name).ToList(),
            ["rungs"] = rungs.Order().Select(r => r.Word()).ToList(),
            // The operator's allowances past the trust boundary, said up front: a run with them proves less about safety.
            ["allow"] = run.Entry.Allow.ToList(),
        };
    }

    /// <summary>The manifest with what the upgrade added to the app (keys, secrets by name and version), once it has.</summary>
    public static IReadOnlyDictionary<string, object?> WithUpgrade(IReadOnlyDictionary<string, object?> manifest, EnvUpgrade? upgrade)
    {
        if (upgrade is null) return manifest;
        return new Dictionary<string, object?>(manifest)
        {
            ["added_env_keys"] = upgrade.AddedKeys,
            ["generated_secrets"] = upgrade.GeneratedSecrets.Select(s => $"{s.Name} {s.Version}").ToList(),
        };
    }

    public static IEnumerable<string> Lines(IReadOnlyDictionary<string, object?> manifest) =>
        manifest.Select(kv => $"  {kv.Key}: {kv.Value switch
        {
            null => "(none)",
            System.Collections.IEnumerable list and not string => string.Join(", ", list.Cast<object>()) is { Length: > 0 } text ? text : "(none)",
            var v => v.ToString(),
        }}");
}
