using System.Text.RegularExpressions;
using Cake.Core;
using RecipeCi.Host;

namespace RecipeCi.Context;

public enum AbraMode { Auto, Cli, Local }

/// <summary>
/// The options of a run, typed and checked once. Drone's variables are fallbacks, so the same
/// target works from a terminal and from a pipeline step.
/// </summary>
public sealed partial class RunOptions
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>
    {
        ["recipe"] = "recipe to test, as enrolled in recipes.yaml (fallback: DRONE_REPO_NAME)",
        ["pr"] = "pull request number (fallback: DRONE_PULL_REQUEST)",
        ["ref"] = "commit to test as the head (fallback: DRONE_COMMIT_SHA; default: the fetched tree's HEAD)",
        ["base"] = "release tag the upgrade starts from (default: newest release older than the head)",
        ["catalog"] = "recipes.yaml to read (default: ./recipes.yaml)",
        ["artifacts"] = "output folder (default: ./artifacts)",
        ["run-id"] = "name of this run's folder under artifacts/runs (default: time + random)",
        ["abra"] = "auto | cli | local: the real abra on PATH, or the local abra-compatible driver",
        ["server"] = "abra server (docker context) to deploy to (default: local)",
        ["domain-suffix"] = "suffix of generated app domains (default: ci.local)",
        ["lock-dir"] = "folder of the per-app-domain lock files (default: /run/lock/recipe-ci)",
        ["stages"] = "rungs to run, e.g. install,upgrade,backup_restore,custom,lint (fallback: STAGES; default: all of the target's)",
        ["deadline"] = "hard limit of the run in minutes; past it the run stops, tears down and exits 142 (default: 60)",
        ["reap-unrecorded"] = "Janitor: also reap harness stacks of --domain-suffix that no lock file records (default: false)",
        ["repeat"] = "Bench: repetitions of each scenario per judge (default: 20)",
    };

    public string? Recipe { get; init; }
    public string? Pr { get; init; }
    public string? Ref { get; init; }
    public string? Base { get; init; }
    public string Catalog { get; init; } = "recipes.yaml";
    public string Artifacts { get; init; } = "artifacts";
    public string RunId { get; init; } = "";
    public AbraMode Abra { get; init; } = AbraMode.Auto;
    public string Server { get; init; } = "local";
    public string DomainSuffix { get; init; } = "ci.local";
    public string LockDir { get; init; } = "/run/lock/recipe-ci";
    public IReadOnlySet<string> Rungs { get; init; } = Verdicts.Rungs.Names.ToHashSet();
    public TimeSpan Deadline { get; init; } = RunDeadline.Default;
    public bool ReapUnrecorded { get; init; }
    public int Repeat { get; init; } = 20;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();

    public static RunOptions Parse(ICakeArguments args, Func<string, string?> env)
    {
        foreach (var name in args.GetArguments().Keys)
            if (!Known.ContainsKey(name) && name != "target")
                throw new UsageException($"unknown option --{name}. Known options: {string.Join(", ", Known.Keys.Select(k => "--" + k))}");

        string? Get(string name, string? drone = null)
        {
            var values = args.GetArguments(name);
            var value = values.Count > 0 ? values.Last() : drone is null ? null : env(drone);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var pr = Get("pr", "DRONE_PULL_REQUEST");
        if (pr is not null && !pr.All(char.IsAsciiDigit)) throw new UsageException($"--pr must be a pull request number, not '{pr}'");
        var runId = Get("run-id") ?? $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
        if (!SafeName().IsMatch(runId)) throw new UsageException($"--run-id '{runId}' may hold only letters, digits, '.', '_' and '-'");
        var repeat = Get("repeat") ?? "20";
        if (!int.TryParse(repeat, out var repetitions) || repetitions < 1) throw new UsageException($"--repeat must be a positive number, not '{repeat}'");
        var suffix = Get("domain-suffix") ?? "ci.local";
        if (!Regex.IsMatch(suffix, @"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"))
            throw new UsageException($"--domain-suffix '{suffix}' is not a DNS name");
        return new RunOptions
        {
            Recipe = Get("recipe", "DRONE_REPO_NAME"),
            Pr = pr,
            Ref = Get("ref", "DRONE_COMMIT_SHA"),
            Base = Get("base"),
            Catalog = Get("catalog") ?? "recipes.yaml",
            Artifacts = Get("artifacts") ?? "artifacts",
            RunId = runId,
            Abra = Get("abra") switch
            {
                null or "auto" => AbraMode.Auto,
                "cli" => AbraMode.Cli,
                "local" => AbraMode.Local,
                var other => throw new UsageException($"--abra must be auto, cli or local, not '{other}'"),
            },
            Server = Get("server") ?? "local",
            DomainSuffix = suffix,
            LockDir = Get("lock-dir") ?? env("RECIPE_CI_LOCK_DIR") ?? "/run/lock/recipe-ci",
            Rungs = Lifecycle.TargetPlan.Rungs(Get("stages", "STAGES")),
            Deadline = ParseDeadline(Get("deadline")),
            ReapUnrecorded = Get("reap-unrecorded") switch
            {
                null or "false" or "0" or "no" => false,
                "true" or "1" or "yes" => true,
                var other => throw new UsageException($"--reap-unrecorded takes true or false, not '{other}'"),
            },
            Repeat = repetitions,
        };
    }

    private static TimeSpan ParseDeadline(string? minutes)
    {
        if (minutes is null) return RunDeadline.Default;
        if (!double.TryParse(minutes, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var m)
            || m <= 0 || TimeSpan.FromMinutes(m) > RunDeadline.Longest)
            throw new UsageException($"--deadline must be a number of minutes above 0 and at most {RunDeadline.Longest.TotalMinutes:0}, not '{minutes}'");
        return TimeSpan.FromMinutes(m);
    }

    public static string Usage() =>
        "Usage: ./build.sh --target=<target> [options]\n\nOptions:\n" +
        string.Join("\n", Known.Select(k => $"  --{k.Key,-15} {k.Value}")) +
        "\n  --dryrun         show the tasks the target would run, without running them" +
        "\n  --tree           show the target's dependency tree" +
        "\n  --description    describe every task\n";
}
