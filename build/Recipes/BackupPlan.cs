namespace RecipeCi.Recipes;

/// <summary>A named volume one service mounts, and what of it a backup keeps.</summary>
/// <param name="Paths">Paths relative to the volume root (<c>backupbot.backup.volumes.&lt;v&gt;.path</c>), or null for the whole volume.</param>
public sealed record BackupVolume(string Name, string MountPath, IReadOnlyList<string>? Paths);

/// <summary>A named volume of the stack as a service mounts it: its compose key, its docker name, where.</summary>
public sealed record VolumeMount(string Volume, string DockerName, string Service, string MountPath)
{
    public override string ToString() => $"{DockerName} ({Service}:{MountPath})";
}

/// <summary>A service that takes part in backups, with its hooks (<c>backupbot.*</c> labels).</summary>
public sealed record BackupService(
    string Service,
    IReadOnlyList<BackupVolume> Volumes,
    string? BackupPreHook,
    string? BackupPostHook,
    string? RestorePreHook,
    string? RestorePostHook);

/// <summary>
/// What backup-bot-two would back up for an app, read from its compose files' labels:
/// <c>backupbot.backup=true</c> enables a service; every named volume it mounts is kept unless
/// <c>backupbot.backup.volumes.&lt;v&gt;=false</c>, whole or only the listed <c>.path</c>s;
/// pre/post hooks run in that service's container.
/// </summary>
public sealed class BackupPlan(IReadOnlyList<BackupService> services)
{
    public IReadOnlyList<BackupService> Services { get; } = services;
    public bool Capable => Services.Count > 0;

    /// <summary>Every named volume each service of the project mounts, service by service.</summary>
    public static IReadOnlyList<VolumeMount> Mounts(RecipeProject project)
    {
        var namedVolumes = NamedVolumes(project.Files);
        return project.Services.SelectMany(s => NamedMounts(s.View, namedVolumes)
            .Select(m => new VolumeMount(m.Volume, project.TopLevelName("volumes", m.Volume), s.Name, m.Target))).ToList();
    }

    private static HashSet<string> NamedVolumes(IReadOnlyList<ComposeFile> files) =>
        files.SelectMany(f => f.Root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("volumes"), out var v)
                && v is YamlDotNet.RepresentationModel.YamlMappingNode m
                ? m.Children.Keys.Select(k => ((YamlDotNet.RepresentationModel.YamlScalarNode)k).Value ?? "")
                : []).ToHashSet();

    public static BackupPlan From(IReadOnlyList<ComposeFile> files, IReadOnlyDictionary<string, string> env)
    {
        var namedVolumes = NamedVolumes(files);
        var services = new List<BackupService>();
        foreach (var name in files.SelectMany(f => f.Services.Select(s => s.Name)).Distinct())
        {
            // Later compose files override earlier ones, label by label, as compose merges them.
            var labels = new Dictionary<string, string>();
            var mounts = new Dictionary<string, string>();
            foreach (var svc in files.Select(f => f.Service(name)).OfType<ComposeService>())
            {
                foreach (var (k, v, _) in svc.DeployLabels) labels[k] = EnvFile.Interpolate(v, env);
                foreach (var (volume, target) in NamedMounts(svc, namedVolumes)) mounts[volume] = target;
            }
            if (!IsTrue(labels.GetValueOrDefault("backupbot.backup"))) continue;
            var volumes = mounts
                .Where(m => labels.GetValueOrDefault($"backupbot.backup.volumes.{m.Key}") is not "false")
                .Select(m => new BackupVolume(m.Key, m.Value,
                    labels.GetValueOrDefault($"backupbot.backup.volumes.{m.Key}.path") is { Length: > 0 } p
                        ? p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null))
                .ToList();
            services.Add(new BackupService(name, volumes,
                labels.GetValueOrDefault("backupbot.backup.pre-hook"), labels.GetValueOrDefault("backupbot.backup.post-hook"),
                labels.GetValueOrDefault("backupbot.restore.pre-hook"), labels.GetValueOrDefault("backupbot.restore.post-hook")));
        }
        return new BackupPlan(services);
    }

    private static bool IsTrue(string? value) => value is not null && value.Trim().ToLowerInvariant() is "true" or "1" or "yes";

    /// <summary>Short-syntax <c>name:/path[:mode]</c> and long-syntax <c>{type: volume, source, target}</c> mounts of named volumes.</summary>
    private static IEnumerable<(string Volume, string Target)> NamedMounts(ComposeService svc, HashSet<string> namedVolumes)
    {
        if (svc.Get("volumes") is not YamlDotNet.RepresentationModel.YamlSequenceNode seq) yield break;
        foreach (var item in seq.Children)
        {
            string? source = null, target = null;
            if (item is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } text })
            {
                var parts = text.Split(':');
                if (parts.Length >= 2) (source, target) = (parts[0], parts[1]);
            }
            else if (item is YamlDotNet.RepresentationModel.YamlMappingNode)
            {
                var m = new ComposeService("", (YamlDotNet.RepresentationModel.YamlMappingNode)item);
                (source, target) = (m.GetString("source"), m.GetString("target"));
            }
            if (source is not null && target is not null && namedVolumes.Contains(source)) yield return (source, target);
        }
    }
}
