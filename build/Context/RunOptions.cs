using System.Text.RegularExpressions;
using RecipeCatalog = RecipeCi.Recipes.Catalog;
using Cake.Core;
using RecipeCi.Abra;
using RecipeCi.Bench;
using RecipeCi.Bridge;
using RecipeCi.Lifecycle;
using RecipeCi.Reaping;
using RecipeCi.Sweeps;
using RecipeCi.Tables;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

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
        ["base"] = "release tag the upgrade starts from, an ancestor of the head (default: the newest release the head descends from that is older than its version)",
        ["catalog"] = "recipes.yaml to read (default: ./recipes.yaml)",
        ["artifacts"] = "output folder (default: ./artifacts)",
        ["run-id"] = "name of this run's folder under artifacts/runs (default: time + random)",
        ["abra"] = "auto | cli | local: the real abra on PATH, or the local abra-compatible driver",
        ["server"] = "abra server (docker context) to deploy to (default: local)",
        ["domain-suffix"] = "suffix of generated app domains (default: ci.local)",
        ["lock-dir"] = "folder of the per-app-domain lock files (default: /run/lock/recipe-ci)",
        ["stages"] = "rungs to run, e.g. install,upgrade,backup_restore,custom,lint (fallback: STAGES; default: all of the target's)",
        ["deadline"] = "hard limit of the run in minutes; past it the run stops, tears down and exits 142 (default: 60); Janitor and Sweep: a lock held twice as long is reported as possibly leaked",
        ["json"] = "Status: print the runs as JSON, for scripts (default: false)",
        ["retention-days"] = "Janitor and Sweep: days the janitor keeps a bad-input run's kept message (artifacts/bad-input/<run-id>/) after its last write (default: 14)",
        ["reap-unrecorded"] = "Janitor: also reap harness stacks of --domain-suffix that no lock file records (default: false)",
        ["repeat"] = "Bench: repetitions of each scenario per judge (default: 20)",
        ["background"] = "Bench: upgrades of --recipe (default: hello) running meanwhile, each in its own process, as unrelated load (default: 0)",
        ["recipes"] = "Sweep: only these enrolled recipes, comma-separated (default: all)",
        ["shard"] = "Sweep: i/n, this runner's share of the recipes (default: 1/1)",
        ["parallel"] = "Sweep: recipes run at once, each in its own process (default: 1)",
        ["force"] = "Sweep: run every recipe, even one whose latest release is already canonical",
        ["confirm"] = "Sweep: isolation re-runs of each red recipe after the parallel phase, alone and cold; 0 turns them off (default: 1)",
        ["state-dir"] = "folder of the canonical state and the last sweep outcomes; sweeps write it, and every run that rewrites the artifact index reads it for its canonical and history columns (default: <artifacts>/state)",
        ["bench-size"] = "SweepBench: fixture recipes per sweep (default: 3)",
        ["bench-case"] = "SweepBench: copies (--bench-size copies of one recipe, then two that fit only one at a time) or catalogue (twelve recipes of a catalogue's kinds) (default: copies)",
        ["shared-deps"] = "the handle of the dependency apps a sweep shares (its shared-deps.json): a sweep passes it to each recipe run, which provisions against them instead of installing its own",
        ["results"] = "Publish: the results.json to publish (default: <artifacts>/runs/<run-id>/<recipe>/results.json)",
        ["comment"] = "Trigger: the PR comment body to read as a !testme trigger",
    }.Concat(BridgeOptions.Known).ToDictionary();

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
    public IReadOnlySet<Verdicts.Rung> Rungs { get; init; } = Verdicts.Rungs.All.ToHashSet();
    public TimeSpan Deadline { get; init; } = RunDeadline.Default;
    public Retention Retention { get; init; } = Retention.Default;
    public bool ReapUnrecorded { get; init; }
    public bool Json { get; init; }
    public int Repeat { get; init; } = 20;
    public int Background { get; init; }
    public IReadOnlyList<string>? Recipes { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
    public int Parallel { get; init; } = 1;
    public bool Force { get; init; }
    public int Confirm { get; init; } = 1;
    public string StateDir { get; init; } = Path.Combine("artifacts", "state");
    public int BenchSize { get; init; } = 3;
    public BenchCase BenchCase { get; init; } = BenchCase.Copies;
    public string? Results { get; init; }
    public string? SharedDeps { get; init; }
    public string? Comment { get; init; }
    public BridgeOptions Bridge { get; init; } = new();

    /// <summary>The options a run of the recipe alone reads: the <c>[ReadsOptions]</c> of Lint and Plan, which install no dependency.</summary>
    public const string RecipeOnlyOptions = "recipe pr ref base catalog artifacts state-dir run-id abra server domain-suffix lock-dir stages deadline";

    /// <summary>The options a recipe run reads: the lifecycle targets' <c>[ReadsOptions]</c>; those that install dependencies take a sweep's shared ones.</summary>
    public const string RecipeRunOptions = RecipeOnlyOptions + " shared-deps";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();

    /// <param name="clock">Names a run without <c>--run-id</c> by its start.</param>
    public static RunOptions Parse(ICakeArguments args, Func<string, string?> env, TimeProvider? clock = null)
    {
        foreach (var name in args.GetArguments().Keys)
            if (!Known.ContainsKey(name) && name != "target")
                throw new BadInputException($"unknown option --{name}. Known options: {string.Join(", ", Known.Keys.Select(k => "--" + k))}");

        string? Get(string name, string? drone = null)
        {
            var values = args.GetArguments(name);
            var value = values.Count > 0 ? values.Last() : drone is null ? null : env(drone);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        // A recipe's name becomes a folder name: one that could not be enrolled is refused before it names a path.
        var recipe = Get("recipe", "DRONE_REPO_NAME");
        if (recipe is not null && !RecipeCatalog.IsRecipeName(recipe))
            throw new BadInputException($"--recipe '{recipe}' is not a recipe's name: {RecipeCatalog.RecipeNameRule}. Fix: pass the name of a recipe enrolled in recipes.yaml");
        var pr = Get("pr", "DRONE_PULL_REQUEST");
        if (pr is not null && !pr.All(char.IsAsciiDigit)) throw new BadInputException($"--pr must be a pull request number, not '{pr}'");
        var runId = Get("run-id") ?? $"{(clock ?? TimeProvider.System).GetUtcNow():yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
        var artifacts = Get("artifacts") ?? "artifacts";
        if (!SafeName().IsMatch(runId)) throw new BadInputException($"--run-id '{runId}' may hold only letters, digits, '.', '_' and '-'");
        var repeat = Get("repeat") ?? "20";
        if (!int.TryParse(repeat, out var repetitions) || repetitions < 1) throw new BadInputException($"--repeat must be a positive number, not '{repeat}'");
        var suffix = Get("domain-suffix") ?? "ci.local";
        if (!Regex.IsMatch(suffix, @"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"))
            throw new BadInputException($"--domain-suffix '{suffix}' is not a DNS name");
        return new RunOptions
        {
            Recipe = recipe,
            Pr = pr,
            Ref = Get("ref", "DRONE_COMMIT_SHA"),
            Base = Get("base"),
            Catalog = Get("catalog") ?? "recipes.yaml",
            Artifacts = artifacts,
            RunId = runId,
            Abra = Get("abra") switch
            {
                null or "auto" => AbraMode.Auto,
                "cli" => AbraMode.Cli,
                "local" => AbraMode.Local,
                var other => throw new BadInputException($"--abra must be auto, cli or local, not '{other}'"),
            },
            Server = Get("server") ?? "local",
            DomainSuffix = suffix,
            LockDir = Get("lock-dir") ?? env("RECIPE_CI_LOCK_DIR") ?? "/run/lock/recipe-ci",
            Rungs = TargetPlan.Rungs(Get("stages", "STAGES")),
            Deadline = ParseDeadline(Get("deadline")),
            Retention = Number(Get("retention-days"), "retention-days", 1, 3650) is { } days ? new Retention(TimeSpan.FromDays(days)) : Retention.Default,
            ReapUnrecorded = Get("reap-unrecorded") is { } reap && Flag("reap-unrecorded", reap),
            Json = Get("json") is { } json && Flag("json", json),
            Repeat = repetitions,
            Background = Number(Get("background"), "background", 0, 8) ?? 0,
            Recipes = Get("recipes") is { } list ? ParseRecipeList(list) : null,
            Shard = Get("shard") is { } shard ? Shard.Parse(shard) : Shard.Whole,
            Parallel = Number(Get("parallel"), "parallel", 1, 16) ?? 1,
            Force = Get("force") is { } force && Flag("force", force),
            Confirm = Number(Get("confirm"), "confirm", 0, 5) ?? 1,
            StateDir = Get("state-dir") ?? Path.Combine(artifacts, "state"),
            BenchSize = Number(Get("bench-size"), "bench-size", 1, 20) ?? 3,
            BenchCase = Get("bench-case") switch
            {
                null or "copies" => BenchCase.Copies,
                "catalogue" => BenchCase.Catalogue,
                var other => throw new BadInputException($"--bench-case must be copies or catalogue, not '{other}'"),
            },
            Results = Get("results"),
            SharedDeps = Get("shared-deps") is { } handle ? Path.GetFullPath(handle) : null,
            Comment = Get("comment"),
            Bridge = BridgeOptions.Parse(name => Get(name), env),
        };
    }

    /// <summary>What a sweep (and the sweep benchmark) reads of these options.</summary>
    public SweepOptions ForSweep() => new()
    {
        RunId = RunId, Artifacts = Artifacts, Catalog = Catalog, StateDir = StateDir, LockDir = LockDir, Abra = Abra,
        Server = Server, DomainSuffix = DomainSuffix, Deadline = Deadline, Retention = Retention, Recipes = Recipes, Shard = Shard,
        Parallel = Parallel, Force = Force, Confirm = Confirm, BenchSize = BenchSize,
    };
    /// <summary>What a recipe run of <paramref name="recipe"/> is asked to do, as the lifecycle reads it.</summary>
    public RunInputs ForRun(string recipe) => new(recipe, Pr, Ref, Base, Artifacts, RunId, Abra, Server, DomainSuffix, LockDir, Rungs, Deadline) { SharedDeps = SharedDeps };

    /// <summary>
    /// An --artifacts this process cannot write is bad input before anything runs, not an error in
    /// the first stage: the nearest existing folder on its path takes a probe file, which is removed.
    /// </summary>
    public static void EnsureWritable(string artifacts)
    {
        var dir = Path.GetFullPath(artifacts);
        while (!Directory.Exists(dir))
        {
            if (File.Exists(dir)) throw Unwritable(artifacts, $"{dir} is a file, not a folder");
            dir = Path.GetDirectoryName(dir)!;
        }
        try
        {
            using (File.Create(Path.Combine(dir, $".recipe-ci-probe-{Environment.ProcessId}"), 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(artifacts, $"{dir} does not let this user create files ({ex.GetType().Name})");
        }
    }

    private static BadInputException Unwritable(string artifacts, string why) =>
        new($"--artifacts '{artifacts}' cannot be written: {why}. Fix: pass --artifacts=<a folder this user can write>, e.g. --artifacts=./artifacts");

    private static TimeSpan ParseDeadline(string? minutes)
    {
        if (minutes is null) return RunDeadline.Default;
        if (!double.TryParse(minutes, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var m)
            || m <= 0 || TimeSpan.FromMinutes(m) > RunDeadline.Longest)
            throw new BadInputException($"--deadline must be a number of minutes above 0 and at most {RunDeadline.Longest.TotalMinutes:0}, not '{minutes}'");
        return TimeSpan.FromMinutes(m);
    }

    private static List<string> ParseRecipeList(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        return names.Count > 0 ? names : throw new BadInputException("--recipes is empty. Fix: name enrolled recipes, e.g. --recipes=hello,discourse");
    }

    private static int? Number(string? value, string name, int min, int max) =>
        value is null ? null
        : int.TryParse(value, out var n) && n >= min && n <= max ? n
        : throw new BadInputException($"--{name} must be a whole number from {min} to {max}, not '{value}'");

    /// <summary>
    /// Whether the command line asks for JSON (<c>--json</c>, <c>--json=true</c>): read before the
    /// host starts, so that stdout can be left to the JSON alone.
    /// </summary>
    public static bool AsksForJson(IEnumerable<string> args) =>
        args.Any(a => a == "--json" || (a.StartsWith("--json=", StringComparison.Ordinal) && a[7..].ToLowerInvariant() is "true" or "1" or "yes"));

    private static bool Flag(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new BadInputException($"--{name} takes true or false, not '{value}'"),
    };

    /// <summary>Cake's own options, which every target takes.</summary>
    private static readonly (string Name, string What)[] HostOptions =
    [
        ("dryrun", "show the tasks the target would run, without running them"),
        ("tree", "show the target's dependency tree"),
        ("description", "describe every task"),
        ("color", "always | never | auto: colour only on a terminal and without NO_COLOR (default: auto; FORCE_COLOR=1 asks for it in a pipe)"),
    ];

    public static string Usage() =>
        "Usage: ./build.sh --target=<target> [options]\n\nOptions:\n" +
        string.Join("\n", Known.Select(k => (Name: k.Key, What: k.Value)).Concat(HostOptions)
            .Aggregate(new TextTable(2), (table, o) => table.Row("--" + o.Name, o.What)).Lines()) + "\n";
}
