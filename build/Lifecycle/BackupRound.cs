using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The marker commands of a run, resolved from recipes.yaml or from the backup plan.</summary>
public sealed record MarkerCommands(string Service, string Seed, string Remove, string Check, string? Verify, int Attempts, string How)
{
    public static MarkerCommands From(BackupMarker m) =>
        new(m.Service, m.Seed, m.Remove, m.Check, m.Verify, m.Attempts, $"recipes.yaml backup commands in {m.Service}");

    /// <summary>A file at the root of a volume the backup keeps whole.</summary>
    public static MarkerCommands FileIn(BackupService svc, BackupVolume volume)
    {
        var file = $"{volume.MountPath.TrimEnd('/')}/.recipe-ci-{{marker}}";
        return new(svc.Service, $"echo {{marker}} > {file}", $"rm -f {file}", $"test -f {file}", null, 3,
            $"a file in volume {volume.Name} ({svc.Service}:{volume.MountPath}), which the backup keeps whole");
    }
}

/// <summary>
/// SeedMarker → Backup → Mutate → Restore → VerifyMarker: data continuity through a backup. A
/// marker written before the backup must be back after the restore, and one written after the
/// backup must be gone. A backup that "succeeds" empty, or whose verify probe keeps failing, fails.
/// </summary>
public static class BackupRound
{
    public static async Task SeedAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var env = Recipes.EnvFile.Load(run.AbraDir.EnvPath(run.Options.Server, run.Domain)).Values();
        env["STACK_NAME"] = run.Stack;
        var plan = BackupPlan.From(AppDeployer.ComposeFiles(run), env);
        stage.WriteJson("backup-plan.json", plan.Services);
        if (!plan.Capable)
        {
            run.BackupSkip = "not backup-capable: no service of the recipe has backupbot.backup=true";
            stage.Skip(run.BackupSkip);
            return;
        }
        var whole = plan.Services.SelectMany(s => s.Volumes.Where(v => v.Paths is null).Select(v => (s, v))).FirstOrDefault();
        run.Markers = run.Entry.Backup is { } declared ? MarkerCommands.From(declared)
            : whole.v is not null ? MarkerCommands.FileIn(whole.s, whole.v)
            : throw new StageFailure(StageStatus.Error,
                "the recipe is backup-capable but keeps no volume whole, so the harness cannot place a marker. " +
                $"Fix: declare backup: {{service, seed, remove, check}} for {run.Entry.Name} in recipes.yaml");
        var id = (run.Options.RunId.Length > 12 ? run.Options.RunId[^12..] : run.Options.RunId).Trim('-', '.', '_');
        run.MarkerBefore = $"rci-{id}-before".Replace('.', '-');
        run.MarkerAfter = $"rci-{id}-after".Replace('.', '-');
        stage.Log($"marker: {run.Markers.How}");
        await ExecAsync(run, run.Markers.Seed, run.MarkerBefore, "seed", ct);
        if (!await PresentAsync(run, run.MarkerBefore, ct))
            throw new StageFailure(StageStatus.Error, $"seeded marker '{run.MarkerBefore}' but the check does not find it; fix the backup commands in recipes.yaml");
        stage.WriteJson("marker.json", new { how = run.Markers.How, before = run.MarkerBefore, after = run.MarkerAfter, run.Markers.Service });
    }

    public static async Task BackupAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var markers = run.Markers!;
        var attempts = new List<object>();
        string? problem = null;
        for (var attempt = 1; attempt <= markers.Attempts; attempt++)
        {
            var snapshot = await run.Abra.BackupCreateAsync(run.Domain, ct);
            problem = snapshot is { Files: 0 } or { Bytes: 0 } ? $"snapshot {snapshot.Id} is empty ({snapshot.Files} files, {snapshot.Bytes} bytes)" : null;
            if (problem is null && markers.Verify is { } verify)
            {
                var r = await run.Docker.ExecAsync(await ContainerAsync(run, markers.Service, ct), verify, ct);
                if (!r.Succeeded) problem = $"verify probe exited {r.ExitCode}: {r.Output}";
            }
            attempts.Add(new { attempt, snapshot = snapshot.Id, files = snapshot.Files, bytes = snapshot.Bytes, problem });
            stage.Log($"backup attempt {attempt}: snapshot {snapshot.Id} ({snapshot.Files?.ToString() ?? "?"} files, {snapshot.Bytes?.ToString() ?? "?"} bytes){(problem is null ? "" : ": " + problem)}");
            if (problem is null)
            {
                run.Snapshot = snapshot.Id;
                break;
            }
        }
        stage.WriteJson("backup.json", new { snapshot = run.Snapshot, attempts });
        if (run.Snapshot is null)
        {
            stage.Evidence.Add("backup.json");
            throw new StageFailure(StageStatus.Failed, $"no usable backup after {markers.Attempts} attempt(s): {problem}");
        }
    }

    public static async Task MutateAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        await ExecAsync(run, run.Markers!.Remove, run.MarkerBefore!, "remove", ct);
        await ExecAsync(run, run.Markers.Seed, run.MarkerAfter!, "seed", ct);
        if (await PresentAsync(run, run.MarkerBefore!, ct) || !await PresentAsync(run, run.MarkerAfter!, ct))
            throw new StageFailure(StageStatus.Error, "could not change the data after the backup: the marker commands did not take");
        stage.Log($"removed '{run.MarkerBefore}', wrote '{run.MarkerAfter}'");
    }

    public static async Task RestoreAsync(RecipeRun run, StageRecorder stage)
    {
        stage.Log($"restoring snapshot {run.Snapshot} (this run's own)");
        await run.Abra.RestoreAsync(run.Domain, run.Snapshot!, run.Cancellation);
        await HealthProbe.AwaitAsync(run, stage, DeployPhase.Upgrade);
    }

    public static async Task VerifyAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var back = await PresentAsync(run, run.MarkerBefore!, ct);
        var gone = !await PresentAsync(run, run.MarkerAfter!, ct);
        stage.WriteJson("verify.json", new { before = run.MarkerBefore, before_present = back, after = run.MarkerAfter, after_present = !gone });
        var problems = new List<string>();
        if (!back) problems.Add($"the marker written before the backup ('{run.MarkerBefore}') is missing after the restore: the backup or the restore lost data");
        if (!gone) problems.Add($"the marker written after the backup ('{run.MarkerAfter}') is still there after the restore: the restore did not bring the data back to the snapshot");
        if (problems.Count > 0)
        {
            stage.Evidence.Add("verify.json");
            throw new StageFailure(StageStatus.Failed, string.Join("; ", problems) + $" (marker: {run.Markers!.How})");
        }
        stage.Log($"'{run.MarkerBefore}' is back and '{run.MarkerAfter}' is gone");
    }

    private static async Task<bool> PresentAsync(RecipeRun run, string marker, CancellationToken ct)
    {
        var r = await run.Docker.ExecAsync(await ContainerAsync(run, run.Markers!.Service, ct), Fill(run.Markers.Check, marker), ct);
        return r.Succeeded;
    }

    private static async Task ExecAsync(RecipeRun run, string command, string marker, string what, CancellationToken ct)
    {
        var r = await run.Docker.ExecAsync(await ContainerAsync(run, run.Markers!.Service, ct), Fill(command, marker), ct);
        if (!r.Succeeded)
            throw new StageFailure(StageStatus.Error, $"marker {what} command exited {r.ExitCode}: {r.Output}");
    }

    private static async Task<string> ContainerAsync(RecipeRun run, string service, CancellationToken ct) =>
        await run.Docker.RunningContainerAsync($"{run.Stack}_{service}", ct)
        ?? throw new StageFailure(StageStatus.Failed, $"no running container of {service} to reach the data in");

    private static string Fill(string command, string marker) => command.Replace("{marker}", marker, StringComparison.Ordinal);
}
