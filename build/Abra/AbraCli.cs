using RecipeCi.Processes;
using RecipeCi.Recipes;

namespace RecipeCi.Abra;

/// <summary>
/// The real <c>abra</c> CLI through CliWrap. Every call is non-interactive (<c>--no-input</c>) and
/// offline (<c>--offline</c>: the run's recipe tree was fetched by the harness and must not be
/// re-fetched), added in one place so no call can forget them, and gets the run's own <c>ABRA_DIR</c>.
/// </summary>
public sealed partial class AbraCli(AbraDir dir, CommandRunner runner, string executable = "abra") : IAbra
{
    public string Kind => "cli";

    private static readonly string[] Always = ["--no-input", "--offline"];

    /// <summary>What <c>abra --version</c> says, on its first line.</summary>
    public async Task<string> VersionAsync(CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command(executable, "--version") { Check = false, Timeout = TimeSpan.FromMinutes(1) }, ct);
        return r.Succeeded ? r.Output.Trim().Split('\n')[0].Trim() : "unknown";
    }

    private Task<CommandResult> Abra(CancellationToken ct, params string[] args) =>
        Run(args, ct);

    /// <param name="environment">The call's whole environment when given; otherwise the harness's, with the run's ABRA_DIR.</param>
    private async Task<CommandResult> Run(IReadOnlyList<string> args, CancellationToken ct, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = await runner.RunAsync(new Command(executable, [.. args, .. Always])
        {
            Environment = environment ?? new Dictionary<string, string?> { ["ABRA_DIR"] = dir.Root },
            Check = false,
            Timeout = TimeSpan.FromMinutes(30),
        }, ct);
        // abra prints its FATA lines on stdout, so both streams make the message.
        if (!result.Succeeded) throw new AbraException($"abra {string.Join(' ', args.Take(2))} failed (exit {result.ExitCode}): {result.Output}");
        return result;
    }

    public Task AppNewAsync(string recipe, string? version, string server, string domain, CancellationToken ct)
    {
        Directory.CreateDirectory(dir.ServerPath(server));
        var args = new List<string> { "app", "new", recipe };
        if (version is not null) args.Add(version);
        args.AddRange(["--server", server, "--domain", domain]);
        return Run(args, ct);
    }

    public Task SecretGenerateAllAsync(string domain, CancellationToken ct) =>
        Abra(ct, "app", "secret", "generate", domain, "--all");

    public Task DeployAsync(string domain, DeployRequest request, CancellationToken ct)
    {
        var args = new List<string> { "app", "deploy", domain };
        if (request.Version is not null) args.Add(request.Version);
        if (request.Chaos) args.Add("--chaos");
        if (request.NoConvergeChecks) args.Add("--no-converge-checks");
        // App domains end in the CI's suffix, which no DNS resolves to the server.
        args.AddRange(["--force", "--no-domain-checks"]);
        // abra's docker client interpolates the compose files with abra's own environment too: the
        // deploy gets what the vetting interpolated with (the engine variables) and its ABRA_DIR, as
        // the local driver's docker CLI does, and none of the CI host's other variables.
        var clean = new Dictionary<string, string>(AppEnv.OwnEngineValues()) { ["ABRA_DIR"] = dir.Root };
        return Run(args, ct, AppEnv.DeployEnvironment(clean));
    }

    public Task VolumeRemoveAsync(string domain, CancellationToken ct) => Abra(ct, "app", "volume", "remove", domain, "--force");
    public Task SecretRemoveAllAsync(string domain, CancellationToken ct) => Abra(ct, "app", "secret", "remove", domain, "--all");
    public Task AppRemoveAsync(string domain, CancellationToken ct) => Abra(ct, "app", "remove", domain, "--force");

    [System.Text.RegularExpressions.GeneratedRegex(@"snapshot\s+(?:id\s*)?:?\s*(?<id>[0-9a-f]{8,64})", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SnapshotId();

    /// <summary>restic's closing summary of a backup, "processed 5 files, 1.416 KiB in 0:00".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"processed\s+(?<files>\d+)\s+files,\s+(?<size>\d+(?:\.\d+)?)\s*(?<unit>B|KiB|MiB|GiB|TiB)\b")]
    private static partial System.Text.RegularExpressions.Regex Processed();

    public async Task<BackupSnapshot> BackupCreateAsync(string domain, CancellationToken ct)
    {
        var result = await Abra(ct, "app", "backup", "create", domain);
        return ReadSnapshot(result.Output) ?? throw new AbraException($"abra app backup create printed no snapshot id: {result.Output}");
    }

    /// <summary>
    /// The snapshot a backup printed: restic's id, and its file count and size from restic's own
    /// summary (backupbot passes restic's output through), so that an empty snapshot fails under
    /// the real abra too. Null without an id; counts null when restic's summary is not there.
    /// </summary>
    public static BackupSnapshot? ReadSnapshot(string output)
    {
        var id = SnapshotId().Match(output);
        if (!id.Success) return null;
        if (Processed().Matches(output).LastOrDefault() is not { } summary) return new BackupSnapshot(id.Groups["id"].Value, null, null);
        var power = Array.IndexOf(["B", "KiB", "MiB", "GiB", "TiB"], summary.Groups["unit"].Value);
        var bytes = (long)Math.Round(double.Parse(summary.Groups["size"].Value, System.Globalization.CultureInfo.InvariantCulture) * Math.Pow(1024, power));
        return new BackupSnapshot(id.Groups["id"].Value, long.Parse(summary.Groups["files"].Value, System.Globalization.CultureInfo.InvariantCulture), bytes);
    }

    public Task RestoreAsync(string domain, string snapshot, CancellationToken ct) =>
        Abra(ct, "app", "restore", domain, "--snapshot", snapshot);
}
