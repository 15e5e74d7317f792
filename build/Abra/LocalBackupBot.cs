using System.Security.Cryptography;
using Newtonsoft.Json.Linq;
using RecipeCi.Machine;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;

namespace RecipeCi.Abra;

/// <summary>
/// backup-bot-two's label contract on the local swarm, with restic as the store (what
/// backup-bot-two uses). A backup runs the pre-hooks, copies each kept volume (whole, or only its
/// <c>.path</c>s) out through a helper container, runs the post-hooks and stores the copy as one
/// restic snapshot. A restore puts that snapshot's content back (replacing what is there, so data
/// written after the backup is gone), between the restore pre- and post-hooks.
/// The restic repository and its password live outside the run's artifacts
/// (<c>RECIPE_CI_BACKUP_DIR</c>, default <c>/var/lib/recipe-ci/backups/&lt;domain&gt;</c>) and
/// are removed with the app.
/// </summary>
public sealed class LocalBackupBot(DockerCli docker, CommandRunner runner)
{
    public static string Root => Environment.GetEnvironmentVariable("RECIPE_CI_BACKUP_DIR") is { Length: > 0 } d ? d : "/var/lib/recipe-ci/backups";

    public static string AppFolder(string domain) => Path.Combine(Root, domain);

    public async Task<BackupSnapshot> CreateAsync(string domain, StackName stack, BackupPlan plan, CancellationToken ct)
    {
        var folder = AppFolder(domain);
        var staging = Path.Combine(folder, "staging");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var env = await RepositoryAsync(folder, ct);

        await HooksAsync(stack, plan, s => s.BackupPreHook, "backup pre-hook", ct);
        foreach (var svc in plan.Services)
            foreach (var volume in svc.Volumes)
            {
                var into = Path.Combine(staging, volume.Name);
                Directory.CreateDirectory(into);
                await docker.VolumeToFolderAsync(stack.Of(volume.Name), volume.Paths, into, LocalSwarmBootstrap.BaseImage, ct);
            }
        await HooksAsync(stack, plan, s => s.BackupPostHook, "backup post-hook", ct);

        var result = await runner.RunAsync(new Command("restic", "-r", Path.Combine(folder, "repo"), "backup", ".", "--json", "--tag", "recipe-ci", "--host", "recipe-ci")
        { WorkingDirectory = staging, Environment = env, Timeout = TimeSpan.FromMinutes(30) }, ct);
        var summary = result.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{'))
            .Select(JObject.Parse).LastOrDefault(j => (string?)j["message_type"] == "summary")
            ?? throw new AbraException($"restic backup printed no summary: {result.Output}");
        Directory.Delete(staging, recursive: true);
        return new BackupSnapshot((string)summary["snapshot_id"]!, (long?)summary["total_files_processed"], (long?)summary["total_bytes_processed"]);
    }

    public async Task RestoreAsync(string domain, StackName stack, BackupPlan plan, string snapshot, CancellationToken ct)
    {
        var folder = AppFolder(domain);
        var env = await RepositoryAsync(folder, ct);
        var target = Path.Combine(folder, "restore");
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        await runner.RunAsync(new Command("restic", "-r", Path.Combine(folder, "repo"), "restore", snapshot, "--target", target)
        { Environment = env, Timeout = TimeSpan.FromMinutes(30) }, ct);
        // The backup was taken of "." inside the staging folder: the snapshot's root is the volumes.
        var restored = target;

        await HooksAsync(stack, plan, s => s.RestorePreHook, "restore pre-hook", ct);
        foreach (var svc in plan.Services)
            foreach (var volume in svc.Volumes)
            {
                var from = Path.Combine(restored, volume.Name);
                if (!Directory.Exists(from)) throw new AbraException($"snapshot {snapshot} has no copy of volume {volume.Name}");
                await docker.VolumeClearAsync(stack.Of(volume.Name), volume.Paths, LocalSwarmBootstrap.BaseImage, ct);
                await docker.FolderToVolumeAsync(from, stack.Of(volume.Name), LocalSwarmBootstrap.BaseImage, ct);
            }
        await HooksAsync(stack, plan, s => s.RestorePostHook, "restore post-hook", ct);
        Directory.Delete(target, recursive: true);
    }

    private async Task HooksAsync(StackName stack, BackupPlan plan, Func<BackupService, string?> hook, string what, CancellationToken ct)
    {
        foreach (var svc in plan.Services)
        {
            if (hook(svc) is not { Length: > 0 } script) continue;
            var container = await docker.RunningContainerAsync(stack.Of(svc.Service), ct)
                ?? throw new AbraException($"{what} of {svc.Service}: no running container to run it in");
            var r = await docker.ExecAsync(container, script, ct);
            if (!r.Succeeded) throw new AbraException($"{what} of {svc.Service} exited {r.ExitCode}: {r.Output}");
        }
    }

    /// <summary>Creates the app's restic repository on first use; its password never leaves the folder.</summary>
    private async Task<Dictionary<string, string?>> RepositoryAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var passwordFile = Path.Combine(folder, "password");
        if (!File.Exists(passwordFile))
        {
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), ct);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        runner.Redactor.Register((await File.ReadAllTextAsync(passwordFile, ct)).Trim());
        var env = new Dictionary<string, string?> { ["RESTIC_PASSWORD_FILE"] = passwordFile, ["RESTIC_CACHE_DIR"] = Path.Combine(folder, "cache") };
        if (!File.Exists(Path.Combine(folder, "repo", "config")))
            await runner.RunAsync(new Command("restic", "-r", Path.Combine(folder, "repo"), "init") { Environment = env }, ct);
        return env;
    }
}
