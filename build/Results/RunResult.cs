using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Machine;
using RecipeCi.Verdicts;

namespace RecipeCi.Results;

public sealed class StageResult
{
    public string Name { get; init; } = "";
    /// <summary>Which stage this is, read from its name; null for a name no stage of this version has.</summary>
    [JsonIgnore]
    public StageId? Stage => Enum.TryParse<StageId>(Name, out var stage) && Enum.IsDefined(stage) ? stage : null;
    /// <summary>The rung the stage counts for; none for fetch and teardown.</summary>
    public Rung? Rung { get; init; }
    public string Folder { get; init; } = "";
    public StageStatus Status { get; init; }
    public string? Reason { get; init; }
    /// <summary>Skipped for what the recipe lacks, undeclared: its rung is <c>gap</c>, not <c>skip</c>.</summary>
    public bool CoverageGap { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public double DurationS { get; init; }
    public List<string> Evidence { get; init; } = [];
    public bool VerdictNeutral { get; init; }
    /// <summary>A wait on swarm (convergence, health, teardown): its time is swarm's, not the harness's.</summary>
    public bool WaitsOnSwarm { get; init; }
    public List<Recipes.CheckResult> Checks { get; init; } = [];
    /// <summary>The service whose tasks failed, when the stage judged a deploy that did not converge.</summary>
    public Swarm.FailedService? Failure { get; init; }
}

public sealed class TeardownResult
{
    public bool Clean { get; init; }
    public List<string> Leaked { get; init; } = [];
}

/// <summary>A secret the run had generated: its name and version, never its value.</summary>
public sealed record GeneratedSecret(string Name, string Version);

/// <summary>What the run added to the app before deploying the head: the head's new env keys, and the secrets it generated.</summary>
public sealed record EnvUpgrade(IReadOnlyList<string> AddedKeys, IReadOnlyList<GeneratedSecret> GeneratedSecrets);

/// <summary>The <c>results.json</c> of one recipe run (schema 1).</summary>
public sealed class RunResult
{
    public const int SchemaVersion = 1;
    public const string FileName = "results.json";

    /// <summary>The custom checks that passed (or that ran and failed) at any moment, each name once; skipped ones are in neither.</summary>
    public List<string> CheckNames(bool passed) =>
        [.. Stages.SelectMany(s => s.Checks).Where(c => passed ? c.Passed : c.Failed).Select(c => c.Name).Distinct()];

    public int Schema { get; init; } = SchemaVersion;
    public string RunId { get; init; } = "";
    public string Recipe { get; init; } = "";
    public string Mode { get; init; } = "";
    public string? Pr { get; init; }
    public string? Ref { get; init; }
    public string? BaseVersion { get; init; }
    public string? HeadVersion { get; init; }
    public string Driver { get; init; } = "";
    public string AppDomain { get; init; } = "";
    public string Stack { get; init; } = "";
    public Verdict Verdict { get; init; } = Verdict.Unverified;
    public string? Reason { get; init; }
    public int Level { get; init; }
    public Dictionary<Rung, RungStatus> Rungs { get; init; } = [];
    /// <summary>The rungs this run set out to verify (its target's, narrowed by --stages); the others are unver.</summary>
    public List<Rung> Planned { get; init; } = [.. Verdicts.Rungs.All];
    public List<StageResult> Stages { get; init; } = [];
    public TeardownResult? Teardown { get; init; }
    public AdmissionResult? Admission { get; init; }
    /// <summary>What the run ran with; absent in runs that did not record it.</summary>
    public RunEnvironment? Environment { get; init; }
    /// <summary>A red run against the recipe's last green one; absent for a green run, or when no green run is recorded.</summary>
    public SinceGreen? SinceGreen { get; init; }
    /// <summary>What the upgrade added before deploying the head, as an operator would: env keys, and secrets by name and version.</summary>
    public EnvUpgrade? EnvUpgrade { get; init; }
    /// <summary>The trust-boundary rules recipes.yaml allows this recipe (the operator's, never the recipe's).</summary>
    public List<string> Allow { get; init; } = [];
    /// <summary>What those allowances let through at VetBase and VetHead: each finding that would otherwise have refused the deploy.</summary>
    public List<Lint.LintFinding> Allowed { get; init; } = [];
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>When the run's results became final; absent while it runs, or when it was killed.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    public string Evidence { get; init; } = "";
    /// <summary>What applies to this recipe beyond the defaults: overlay, checks, probes, env keys, base override, backup marker.</summary>
    public IReadOnlyDictionary<string, object?> Customization { get; init; } = new Dictionary<string, object?>();

    public bool Passed => Verdict == Verdict.Passed;

    /// <summary>The targets whose runs judge the whole recipe (a sweep runs <c>Recipe</c>), as <see cref="Mode"/> names them.</summary>
    public static readonly IReadOnlySet<string> JudgingModes = new HashSet<string>(StringComparer.Ordinal) { "recipe", "upgrade" };

    /// <summary>
    /// Whether this run judged the recipe, so that it may stand as the recipe's newest run and badge:
    /// a Recipe or Upgrade run (a sweep's included) with a verdict; a Plan, a Lint, a single rung, or
    /// a run that ended in error (bad input, the harness or the machine) says nothing of the recipe as a whole.
    /// </summary>
    [JsonIgnore]
    public bool JudgedTheRecipe => JudgingModes.Contains(Mode) && Verdict != Verdict.Error;

    /// <summary>Whether the later rungs of this run were tried on the head installed cold (not written: results.json has its stages).</summary>
    [JsonIgnore]
    public bool ColdInstallServed => Stages.Any(s => s.Stage == StageId.ColdInstallHead && s.Status == StageStatus.Passed);

    /// <summary>Which deploy each rung judged, in words, for the run page and the PR comment (not written: results.json has its stages).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<Rung, string> DeploysJudged => RungDeploys.Of(this);

    /// <summary>The stage that stopped the run: the first that decides the verdict and neither passed, skipped nor was left unverified.</summary>
    public StageResult? StoppingStage() =>
        Stages.FirstOrDefault(s => !s.VerdictNeutral && s.Status is not (StageStatus.Passed or StageStatus.Skipped or StageStatus.Unverified));

    public static RunResult Read(string path) => JsonConvention.Read<RunResult>(path);

    /// <summary>Writes <c>results.json</c> into the run folder, atomically and redacted.</summary>
    public string Write(string runDirectory, ArtifactWriter artifacts) => artifacts.WriteJson(Path.Combine(runDirectory, FileName), this);
}

/// <summary>Which deploy each rung of a run judged, read from its stage records.</summary>
public static class RungDeploys
{
    /// <summary>The cold install of the head, when one was made (it passed or failed): null when it was skipped or never tried.</summary>
    public static StageResult? ColdInstall(IEnumerable<StageResult> stages) => Made(stages, StageId.ColdInstallHead);

    private static StageResult? Made(IEnumerable<StageResult> stages, StageId id) =>
        stages.FirstOrDefault(s => s.Stage == id && s.Status is not (StageStatus.Skipped or StageStatus.Unverified));

    public static IReadOnlyDictionary<Rung, string> Of(RunResult r)
    {
        var cold = ColdInstall(r.Stages) is not null;
        var upgrade = r.Stages.Any(s => s.Stage == StageId.ChaosRedeploy && s.Status != StageStatus.Skipped);
        var afterUpgrade = cold ? "the head installed cold (ColdInstallHead)" : upgrade ? "the head upgraded in place" : "the head installed fresh";
        var deploys = new Dictionary<Rung, string>
        {
            [Rung.Install] = cold ? "the head installed cold (ColdInstallHead)" : upgrade ? $"the base release {r.BaseVersion} installed fresh" : "the head installed fresh",
            [Rung.BackupRestore] = afterUpgrade,
            [Rung.Custom] = Made(r.Stages, StageId.ReinstallHead) is null ? afterUpgrade : "the head installed cold again after backup/restore failed (ReinstallHead)",
            [Rung.Lint] = "a clean clone of the head's tree",
        };
        if (upgrade) deploys[Rung.Upgrade] = $"{r.BaseVersion} upgraded to the head";
        return deploys;
    }
}
