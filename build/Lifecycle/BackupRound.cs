using RecipeCi.Abra;
using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The marker commands of a run, resolved from recipes.yaml or from the backup plan.</summary>
public sealed record MarkerCommands(string Service, string Seed, string Remove, string Check, string? Verify, int Attempts, string How)
{
    public static MarkerCommands From(BackupMarker m) =>
        new(m.Service, m.Seed, m.Remove, m.Check, m.Verify, m.Attempts, $"recipes.yaml backup commands in {m.Service}");

    /// <summary>A file at the root of a volume the backup keeps whole.</summary>
    public static MarkerCommands FileIn(BackupService svc, BackupVolume volume) =>
        FileIn(svc.Service, volume.Name, volume.MountPath, ", which the backup keeps whole");

    /// <summary>A file at the root of a volume <paramref name="service"/> mounts at <paramref name="mountPath"/>.</summary>
    public static MarkerCommands FileIn(string service, string volume, string mountPath, string why)
    {
        var file = $"{mountPath.TrimEnd('/')}/.recipe-ci-{{marker}}";
        return new(service, $"echo {{marker}} > {file}", $"rm -f {file}", $"test -f {file}", null, 3,
            $"a file in volume {volume} ({service}:{mountPath}){why}");
    }
}

/// <summary>The markers SeedMarker wrote and how: Backup, Mutate and VerifyMarker read them.</summary>
public sealed record SeededMarker(MarkerCommands Commands, string Before, string After);

/// <summary>This run's own snapshot, which Restore brings back.</summary>
public sealed record UsableBackup(string Snapshot);

/// <summary>The data changed after the backup: the first marker removed, a second written.</summary>
public sealed record MutatedMarker(string Removed, string Written);

/// <summary>The first marker is back after the restore and the second is gone.</summary>
public sealed record VerifiedMarker(string Back, string Gone);

/// <summary>
/// SeedMarker → Backup → Mutate → Restore → VerifyMarker: data continuity through a backup. A
/// marker written before the backup must be back after the restore, and one written after the
/// backup must be gone. A backup that "succeeds" empty, or whose verify probe keeps failing, fails.
/// </summary>
public sealed class BackupRound(RecipeEntry entry, string runId, RunFolders folders, IAbra abra, DockerCli docker, HealthProbe health)
{
    /// <summary>Seeds the first marker; null (the stage and the rung's later stages skipped) when the recipe is not backup-capable.</summary>
    public async Task<SeededMarker?> SeedAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var project = folders.AppEnv(plan).Project(plan.Stack);
        var backup = BackupPlan.From(project.Files, project.Values);
        stage.WriteJson("backup-plan.json", backup.Services);
        if (!backup.Capable)
        {
            stage.Gap("not backup-capable: no service of the recipe has backupbot.backup=true " +
                $"(declare not_applicable: {{backup_restore: why}} for {entry.Name} in recipes.yaml if it keeps no data)");
            return null;
        }
        var whole = backup.Services.SelectMany(s => s.Volumes.Where(v => v.Paths is null).Select(v => (s, v))).FirstOrDefault();
        var commands = entry.Backup is { } declared ? MarkerCommands.From(declared)
            : whole.v is not null ? MarkerCommands.FileIn(whole.s, whole.v)
            : throw new StageFailure(StageStatus.Error,
                "the recipe is backup-capable but keeps no volume whole, so the harness cannot place a marker. " +
                $"Fix: declare backup: {{service, seed, remove, check}} for {entry.Name} in recipes.yaml");
        var marker = new SeededMarker(commands, MarkerName(runId, "before"), MarkerName(runId, "after"));
        var data = new MarkerData(docker, plan.Stack, commands);
        stage.Log($"marker: {commands.How}");
        await data.ExecAsync(commands.Seed, marker.Before, "seed", ct);
        if (!await data.PresentAsync(marker.Before, ct))
            throw new StageFailure(StageStatus.Error, $"seeded marker '{marker.Before}' but the check does not find it; fix the backup commands in recipes.yaml");
        stage.WriteJson("marker.json", new { how = commands.How, before = marker.Before, after = marker.After, commands.Service });
        return marker;
    }

    public async Task<UsableBackup> BackupAsync(RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct)
    {
        var commands = marker.Commands;
        var data = new MarkerData(docker, plan.Stack, commands);
        var attempts = new List<object>();
        string? problem = null;
        string? usable = null;
        for (var attempt = 1; attempt <= commands.Attempts && usable is null; attempt++)
        {
            var snapshot = await abra.BackupCreateAsync(plan.Domain, ct);
            problem = snapshot is { Files: 0 } or { Bytes: 0 } ? $"snapshot {snapshot.Id} is empty ({snapshot.Files} files, {snapshot.Bytes} bytes)" : null;
            if (problem is null && commands.Verify is { } verify)
            {
                var r = await docker.ExecAsync(await data.ContainerAsync(ct), verify, ct);
                if (!r.Succeeded) problem = $"verify probe exited {r.ExitCode}: {r.Output}";
            }
            attempts.Add(new { attempt, snapshot = snapshot.Id, files = snapshot.Files, bytes = snapshot.Bytes, problem });
            stage.Log($"backup attempt {attempt}: snapshot {snapshot.Id} ({snapshot.Files?.ToString() ?? "?"} files, {snapshot.Bytes?.ToString() ?? "?"} bytes){(problem is null ? "" : ": " + problem)}");
            if (problem is null) usable = snapshot.Id;
        }
        stage.WriteJson("backup.json", new { snapshot = usable, attempts });
        if (usable is null)
        {
            stage.Evidence.Add("backup.json");
            throw new StageFailure(StageStatus.Failed, $"no usable backup after {commands.Attempts} attempt(s): {problem}");
        }
        return new UsableBackup(usable);
    }

    public async Task<MutatedMarker> MutateAsync(RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct)
    {
        var data = new MarkerData(docker, plan.Stack, marker.Commands);
        await data.ExecAsync(marker.Commands.Remove, marker.Before, "remove", ct);
        await data.ExecAsync(marker.Commands.Seed, marker.After, "seed", ct);
        if (await data.PresentAsync(marker.Before, ct) || !await data.PresentAsync(marker.After, ct))
            throw new StageFailure(StageStatus.Error, "could not change the data after the backup: the marker commands did not take");
        stage.Log($"removed '{marker.Before}', wrote '{marker.After}'");
        return new MutatedMarker(marker.Before, marker.After);
    }

    public async Task<HealthAnswer> RestoreAsync(RunPlan plan, UsableBackup backup, StageRecorder stage, CancellationToken ct)
    {
        stage.Log($"restoring snapshot {backup.Snapshot} (this run's own)");
        await abra.RestoreAsync(plan.Domain, backup.Snapshot, ct);
        return await health.AwaitAsync(plan, stage, DeployPhase.Upgrade, ct);
    }

    public async Task<VerifiedMarker> VerifyAsync(RunPlan plan, SeededMarker marker, StageRecorder stage, CancellationToken ct)
    {
        var data = new MarkerData(docker, plan.Stack, marker.Commands);
        var back = await data.PresentAsync(marker.Before, ct);
        var gone = !await data.PresentAsync(marker.After, ct);
        stage.WriteJson("verify.json", new { before = marker.Before, before_present = back, after = marker.After, after_present = !gone });
        var problems = new List<string>();
        if (!back) problems.Add($"the marker written before the backup ('{marker.Before}') is missing after the restore: the backup or the restore lost data");
        if (!gone) problems.Add($"the marker written after the backup ('{marker.After}') is still there after the restore: the restore did not bring the data back to the snapshot");
        if (problems.Count > 0)
        {
            stage.Evidence.Add("verify.json");
            throw new StageFailure(StageStatus.Failed, string.Join("; ", problems) + $" (marker: {marker.Commands.How})");
        }
        stage.Log($"'{marker.Before}' is back and '{marker.After}' is gone");
        return new VerifiedMarker(marker.Before, marker.After);
    }

    /// <summary>A marker value of this run, short and safe in any shell command.</summary>
    internal static string MarkerName(string runId, string role)
    {
        var id = (runId.Length > 12 ? runId[^12..] : runId).Trim('-', '.', '_');
        return $"rci-{id}-{role}".Replace('.', '-');
    }

    /// <summary>The marker commands, run in a running container of the marker's service.</summary>
    internal sealed class MarkerData(DockerCli docker, StackName stack, MarkerCommands commands)
    {
        public async Task<bool> PresentAsync(string marker, CancellationToken ct) =>
            (await docker.ExecAsync(await ContainerAsync(ct), Fill(commands.Check, marker), ct)).Succeeded;

        public async Task ExecAsync(string command, string marker, string what, CancellationToken ct)
        {
            var r = await docker.ExecAsync(await ContainerAsync(ct), Fill(command, marker), ct);
            if (!r.Succeeded)
                throw new StageFailure(StageStatus.Error, $"marker {what} command exited {r.ExitCode}: {r.Output}");
        }

        public async Task<string> ContainerAsync(CancellationToken ct) =>
            await docker.RunningContainerAsync(stack.Of(commands.Service), ct)
            ?? throw new StageFailure(StageStatus.Failed, $"no running container of {commands.Service} to reach the data in");

        private static string Fill(string command, string marker) => command.Replace("{marker}", marker, StringComparison.Ordinal);
    }
}
