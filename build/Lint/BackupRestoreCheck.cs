namespace RecipeCi.Lint;

/// <summary>
/// L002, the mattermost-lts defect: a backed-up database with no restore post-hook. When its live
/// data directory is archived whole, restoring files under the running database does not reload
/// them; when only a dump is archived, nothing reloads the dump. Either way the restore
/// "succeeds" and silently keeps the live state.
/// </summary>
public static class BackupRestoreCheck
{
    /// <summary>Database images, and the service names recipes give their database.</summary>
    private static readonly HashSet<string> DatabaseNames = ["postgres", "postgis", "mysql", "mariadb", "mongo", "timescaledb", "db", "database"];

    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var (file, service) in tree.Services)
        {
            var labels = service.DeployLabels.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => tree.Expand(g.Last().Value));
            if (!string.Equals(labels.GetValueOrDefault("backupbot.backup"), "true", StringComparison.OrdinalIgnoreCase)) continue;
            if (labels.ContainsKey("backupbot.restore.post-hook")) continue;
            // A backup pre-hook means the maintainer dumps something that a restore would have to reload.
            var image = ImageReference.Parse(tree.Expand(service.GetString("image") ?? ""));
            if (!labels.ContainsKey("backupbot.backup.pre-hook") && !DatabaseNames.Contains(image.BaseName) && !DatabaseNames.Contains(service.Name)) continue;

            var legacyPaths = labels.TryGetValue("backupbot.backup.path", out var p)
                ? p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ServiceMount.TrimSlash).ToList()
                : null;
            foreach (var mount in ServiceMount.Of(service, tree).Where(m => !m.IsBind && m.Source.Length > 0))
            {
                if (labels.GetValueOrDefault($"backupbot.backup.volumes.{mount.Source}") == "false") continue;
                var target = ServiceMount.TrimSlash(mount.Target);
                var whole = !labels.ContainsKey($"backupbot.backup.volumes.{mount.Source}.path")
                    && (legacyPaths is null || legacyPaths.Any(path => target == path || target.StartsWith(path + "/", StringComparison.Ordinal)));
                yield return LintRules.DatabaseWithoutRestoreHook.At(file.Path, mount.Node, whole
                    ? $"services.{service.Name}: volume '{mount.Source}' ({mount.Target}) is archived whole and there is no backupbot.restore.post-hook, " +
                      "so a restore writes files under the running database without reloading them"
                    : $"services.{service.Name}: only a dump of volume '{mount.Source}' is archived and there is no backupbot.restore.post-hook, " +
                      "so a restore puts the dump back and nothing reloads it");
            }
        }
    }
}
