using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The marker SeedUpgradeMarker wrote on the base, and the stack's volumes then: VerifyUpgradeMarker reads them.</summary>
public sealed record UpgradeMarker(MarkerCommands Commands, string Marker, IReadOnlyList<VolumeMount> VolumesBefore);

/// <summary>The marker written on the base is still there on the head.</summary>
public sealed record UpgradeMarkerKept(string Marker);

/// <summary>
/// SeedUpgradeMarker → (the upgrade) → VerifyUpgradeMarker: data written on the base must still be
/// there after the head converged and answers, or an upgrade that loses all data would pass. The
/// marker is the catalogue's backup marker when it declares one, else a file in a volume of the
/// health service; a recipe where neither exists gets no marker, and says so.
/// </summary>
public sealed class UpgradeContinuity(RecipeEntry entry, string runId, RunFolders folders, DockerCli docker)
{
    public const string Lost = "data written on the base is gone after the upgrade";

    /// <summary>How the marker is written for this recipe, or why none can be (for the manifest too).</summary>
    public static (MarkerCommands? Commands, string? WhyNone) Choose(RecipeEntry entry, IReadOnlyList<VolumeMount> volumes)
    {
        if (entry.Backup is { } declared) return (MarkerCommands.From(declared), null);
        var health = entry.Health.Service;
        if (volumes.FirstOrDefault(v => v.Service == health) is { } mount)
            return (MarkerCommands.FileIn(mount.Service, mount.DockerName, mount.MountPath, ", of the health service"), null);
        return (null, $"no data marker across the upgrade: recipes.yaml declares no backup marker commands and the health service {health} mounts no named volume, " +
                      "so the upgrade rung cannot see lost data");
    }

    /// <summary>Writes the marker on the base; null (VerifyUpgradeMarker skipped, the caveat in the stage's reason) when none can be written.</summary>
    public async Task<UpgradeMarker?> SeedAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var volumes = BackupPlan.Mounts(folders.AppEnv(plan).Project(plan.Stack));
        var (commands, whyNone) = Choose(entry, volumes);
        if (commands is null)
        {
            stage.Skip(whyNone ?? "no data marker across the upgrade");
            return null;
        }
        var marker = BackupRound.MarkerName(runId, "upgrade");
        var data = new BackupRound.MarkerData(docker, plan.Stack, commands);
        await data.ExecAsync(commands.Seed, marker, "seed", ct);
        if (!await data.PresentAsync(marker, ct))
            throw new StageFailure(StageStatus.Error, $"seeded marker '{marker}' but the check does not find it; fix the backup commands in recipes.yaml");
        stage.WriteJson("marker.json", new { how = commands.How, marker, commands.Service, volumes_before = volumes });
        stage.Log($"wrote '{marker}' on the base: {commands.How}");
        return new UpgradeMarker(commands, marker, volumes);
    }

    /// <summary>Requires the marker back on the head; its absence fails the upgrade rung, naming the volumes before and after.</summary>
    public async Task<UpgradeMarkerKept> VerifyAsync(RunPlan plan, UpgradeMarker seeded, StageRecorder stage, CancellationToken ct)
    {
        var after = BackupPlan.Mounts(folders.AppEnv(plan).Project(plan.Stack));
        var present = await new BackupRound.MarkerData(docker, plan.Stack, seeded.Commands).PresentAsync(seeded.Marker, ct);
        stage.WriteJson("continuity.json", new { marker = seeded.Marker, how = seeded.Commands.How, present, volumes_before = seeded.VolumesBefore, volumes_after = after });
        if (!present)
        {
            stage.Evidence.Add("continuity.json");
            throw new StageFailure(StageStatus.Failed,
                $"{Lost}: marker '{seeded.Marker}' ({seeded.Commands.How}) is missing on the head; " +
                $"volumes before: {Describe(seeded.VolumesBefore)}; after: {Describe(after)}");
        }
        stage.Log($"'{seeded.Marker}' written on the base is still there on the head");
        return new UpgradeMarkerKept(seeded.Marker);
    }

    private static string Describe(IReadOnlyList<VolumeMount> volumes) => volumes.Count == 0 ? "none" : string.Join(", ", volumes);
}
