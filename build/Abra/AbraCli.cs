using RecipeCi.Processes;

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

    private Task<CommandResult> Abra(CancellationToken ct, params string[] args) =>
        Run(args, ct);

    private async Task<CommandResult> Run(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await runner.RunAsync(new Command(executable, [.. args, .. Always])
        {
            Environment = new Dictionary<string, string?> { ["ABRA_DIR"] = dir.Root },
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
        return Run(args, ct);
    }

    public Task VolumeRemoveAsync(string domain, CancellationToken ct) => Abra(ct, "app", "volume", "remove", domain, "--force");
    public Task SecretRemoveAllAsync(string domain, CancellationToken ct) => Abra(ct, "app", "secret", "remove", domain, "--all");
    public Task AppRemoveAsync(string domain, CancellationToken ct) => Abra(ct, "app", "remove", domain, "--force");

    [System.Text.RegularExpressions.GeneratedRegex(@"snapshot\s+(?:id\s*)?:?\s*(?<id>[0-9a-f]{8,64})", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SnapshotId();

    public async Task<BackupSnapshot> BackupCreateAsync(string domain, CancellationToken ct)
    {
        var result = await Abra(ct, "app", "backup", "create", domain);
        var m = SnapshotId().Match(result.Output);
        if (!m.Success) throw new AbraException($"abra app backup create printed no snapshot id: {result.Output}");
        return new BackupSnapshot(m.Groups["id"].Value, null, null);
    }

    public Task RestoreAsync(string domain, string snapshot, CancellationToken ct) =>
        Abra(ct, "app", "restore", domain, "--snapshot", snapshot);
}
