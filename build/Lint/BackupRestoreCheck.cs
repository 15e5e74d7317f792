namespace RecipeCi.Lint;

/// <summary>
/// L002, the mattermost-lts defect: a database whose live data directory backupbot archives whole,
/// with no restore post-hook. Restoring files under a running database does not reload them, so a
/// restore "succeeds" and silently keeps the live state.
/// </summary>
public static class BackupRestoreCheck
{
    private static readonly HashSet<string> DatabaseImages = ["postgres", "postgis", "mysql", "mariadb", "mongo", "timescaledb"];

    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var (file, service) in tree.Services)
        {
            var labels = service.DeployLabels.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => tree.Expand(g.Last().Value));
            if (!string.Equals(labels.GetValueOrDefault("backupbot.backup"), "true", StringComparison.OrdinalIgnoreCase)) continue;
            if (labels.ContainsKey("backupbot.restore.post-hook")) continue;
            // A backup pre-hook means the maintainer dumps something that a restore would have to reload.
            var image = ImageReference.Parse(tree.Expand(service.GetString("image") ?? ""));
            if (!labels.ContainsKey("backupbot.backup.pre-hook") && !DatabaseImages.Contains(image.BaseName)) continue;

            var legacyPaths = labels.TryGetValue("backupbot.backup.path", out var p)
                ? p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ServiceMount.TrimSlash).ToList()
                : null;
            foreach (var mount in ServiceMount.Of(service, tree).Where(m => !m.IsBind && m.Source.Length > 0))
            {
                if (labels.GetValueOrDefault($"backupbot.backup.volumes.{mount.Source}") == "false"
                    || labels.ContainsKey($"backupbot.backup.volumes.{mount.Source}.path")) continue;
                var target = ServiceMount.TrimSlash(mount.Target);
                if (legacyPaths is not null && !legacyPaths.Any(path => target == path || target.StartsWith(path + "/", StringComparison.Ordinal))) continue;
                yield return LintRules.DatabaseWithoutRestoreHook.At(file.Path, mount.Node,
                    $"services.{service.Name}: volume '{mount.Source}' ({mount.Target}) is archived whole and there is no backupbot.restore.post-hook, " +
                    "so a restore writes files under the running database without reloading them");
            }
        }
    }
}
