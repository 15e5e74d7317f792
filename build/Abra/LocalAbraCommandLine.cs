using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Abra;

/// <summary>
/// <c>RecipeCi abra ...</c>: the local driver behind abra's own command line, for the subset of
/// commands the lifecycle uses. Lets the CLI adapter be exercised against a real process, and
/// lets a newcomer try abra-shaped commands on the local swarm. Given its driver and its two streams.
/// </summary>
public sealed class LocalAbraCommandLine(LocalAbraDriver driver, Redactor redactor, TextWriter stdout, TextWriter stderr)
{
    public const string Usage = """
        usage (abra-compatible subset, ABRA_DIR honoured):
          abra app new <recipe> [version] --server <server> --domain <domain> [-n] [-o]
          abra app secret generate <domain> --all [-n] [-o]
          abra app deploy <domain> [version] [--chaos|-C] [--no-converge-checks|-c] [--no-domain-checks] [-f] [-n] [-o]
          abra app undeploy <domain> [-n]
          abra app volume remove|rm <domain> [-f] [-n] [-o]
          abra app secret remove|rm <domain> --all [-n] [-o]
          abra app remove|rm <domain> [-f] [-n] [-o]
          abra app backup create <domain> [-n] [-o]
          abra app restore <domain> --snapshot <id> [-n] [-o]
        """;

    // The local driver has no DNS check to skip: --no-domain-checks is taken as abra takes it and changes nothing.
    private static readonly HashSet<string> IgnoredFlags = ["-n", "--no-input", "-o", "--offline", "-f", "--force", "--all", "-a", "--no-domain-checks"];

    /// <summary>The driver on this machine's swarm, with ABRA_DIR from the environment and progress on stdout.</summary>
    public static LocalAbraCommandLine OnThisMachine(TextWriter stdout, TextWriter stderr)
    {
        var runner = new CommandRunner();
        var docker = new DockerCli(runner);
        var time = TimeProvider.System;
        var driver = new LocalAbraDriver(AbraDir.FromEnvironment(), docker, runner, time, new ConvergenceWatcher(docker, time) { Progress = stdout.WriteLine });
        return new LocalAbraCommandLine(driver, runner.Redactor, stdout, stderr);
    }

    public async Task<int> RunAsync(string[] args)
    {
        try
        {
            var (words, options, flags) = Split(args);
            var ct = CancellationToken.None;
            switch (words)
            {
                case ["app", "new", var recipe, .. var rest] when rest.Length <= 1:
                    await driver.AppNewAsync(recipe, rest.FirstOrDefault(), Need(options, "server"), Need(options, "domain"), ct);
                    break;
                case ["app", "secret", "generate", var domain]:
                    await driver.SecretGenerateAllAsync(domain, ct);
                    break;
                case ["app", "deploy", var domain, .. var rest] when rest.Length <= 1:
                    await driver.DeployAsync(domain, new DeployRequest(rest.FirstOrDefault(),
                        Chaos: flags.Overlaps(["-C", "--chaos"]), NoConvergeChecks: flags.Overlaps(["-c", "--no-converge-checks"])), ct);
                    break;
                case ["app", "undeploy", var domain]:
                    await driver.UndeployAsync(domain, ct);
                    break;
                case ["app", "volume", "remove" or "rm", var domain]:
                    await driver.VolumeRemoveAsync(domain, ct);
                    break;
                case ["app", "secret", "remove" or "rm", var domain]:
                    await driver.SecretRemoveAllAsync(domain, ct);
                    break;
                case ["app", "remove" or "rm", var domain]:
                    await driver.AppRemoveAsync(domain, ct);
                    break;
                case ["app", "backup", "create", var domain]:
                    var snapshot = await driver.BackupCreateAsync(domain, ct);
                    // As backupbot passes restic's own summary through: the count and size the real abra's adapter reads.
                    await stdout.WriteLineAsync($"processed {snapshot.Files} files, {snapshot.Bytes} B in 0:00\nsnapshot {snapshot.Id} saved");
                    break;
                case ["app", "restore", var domain]:
                    await driver.RestoreAsync(domain, Need(options, "snapshot"), ct);
                    break;
                default:
                    await stderr.WriteLineAsync($"FATA unsupported command: abra {string.Join(' ', args)}\n{Usage}");
                    return 2;
            }
            return 0;
        }
        catch (Exception ex) when (ex is AbraException or CommandFailedException or ArgumentException)
        {
            // abra prints its fatal errors on stdout.
            await stdout.WriteLineAsync($"FATA {redactor.Redact(ex.Message)}");
            return 1;
        }
    }

    private static string Need(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    private static (string[] Words, Dictionary<string, string> Options, HashSet<string> Flags) Split(string[] args)
    {
        var words = new List<string>();
        var options = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--server" or "-s" or "--domain" or "-D" or "--snapshot")
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{a} needs a value");
                options[a.TrimStart('-') switch { "s" => "server", "D" => "domain", var n => n }] = args[++i];
            }
            else if (a.StartsWith("--server=", StringComparison.Ordinal) || a.StartsWith("--domain=", StringComparison.Ordinal) || a.StartsWith("--snapshot=", StringComparison.Ordinal))
                options[a[2..a.IndexOf('=')]] = a[(a.IndexOf('=') + 1)..];
            else if (a.StartsWith('-'))
            {
                if (!IgnoredFlags.Contains(a) && a is not ("-C" or "--chaos" or "-c" or "--no-converge-checks"))
                    throw new ArgumentException($"unsupported flag {a}");
                flags.Add(a);
            }
            else words.Add(a);
        }
        return ([.. words], options, flags);
    }
}
