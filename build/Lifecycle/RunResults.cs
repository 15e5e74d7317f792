using System.Collections.Immutable;
using RecipeCi.Checks;
using RecipeCi.Lint;
using RecipeCi.Machine;
using RecipeCi.Results;
using RecipeCi.Swarm;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What the stages of a run found so far, one named property per result, and why a result that is
/// missing is missing (the reason of the stage that skipped itself, or that was skipped for lack of
/// an input). Immutable: the <see cref="StageBook"/> holds the current value and replaces it with the
/// result of each stage, in the property that stage declares (<see cref="ResultSlot"/>).
/// </summary>
public sealed record RunResults
{
    public static readonly RunResults None = new();

    /// <summary>FetchRecipe: the tree, the head, the base, the app's names and the lock.</summary>
    public RunPlan? Plan { get; init; }
    /// <summary>FetchRecipe, when it stopped after naming the app (waiting for its lock): whose stack the run must leave alone.</summary>
    public AppName? App { get; init; }
    public DeployPlan? DeployPlan { get; init; }
    /// <summary>RunAdmission: also when the run was not admitted (results.json shows that wait too).</summary>
    public AdmissionResult? Admission { get; init; }
    /// <summary>Dependencies: the apps the recipe needs, installed and provisioned (only for a recipe with <c>depends:</c>).</summary>
    public InstalledDependencies? Dependencies { get; init; }
    public VettedBase? VettedBase { get; init; }
    public FirstDeployment? FirstDeployment { get; init; }
    public ConvergenceVerdict? BaseConvergence { get; init; }
    public HealthAnswer? BaseHealth { get; init; }
    public CheckResults? ChecksAfterInstall { get; init; }
    public UpgradeMarker? UpgradeMarker { get; init; }
    public HeadCheckout? HeadCheckout { get; init; }
    public VettedHead? VettedHead { get; init; }
    public HeadDeployment? HeadDeployment { get; init; }
    public ConvergenceVerdict? HeadConvergence { get; init; }
    public HealthAnswer? HeadHealth { get; init; }
    public HeadIdentity? HeadIdentity { get; init; }
    public UpgradeMarkerKept? UpgradeMarkerKept { get; init; }
    public CheckResults? ChecksAfterUpgrade { get; init; }
    public ColdHeadInstall? ColdInstall { get; init; }
    public SeededMarker? Marker { get; init; }
    public UsableBackup? Backup { get; init; }
    public MutatedMarker? Mutation { get; init; }
    public HealthAnswer? RestoreHealth { get; init; }
    public VerifiedMarker? MarkerVerified { get; init; }
    public CheckResults? ChecksAfterRestore { get; init; }
    public ColdHeadInstall? Reinstall { get; init; }
    public CheckResults? ChecksAtEnd { get; init; }
    public LintReport? Lint { get; init; }
    /// <summary>Teardown: also when it leaked (the lock file then stays for the janitor).</summary>
    public TeardownResult? Teardown { get; init; }

    /// <summary>Why a result is missing, by the name of its property.</summary>
    public ImmutableDictionary<string, string> Skipped { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The app as the run named it: from the plan, or from a FetchRecipe that stopped before it.</summary>
    public AppName? NamedApp => Plan?.App ?? App;
}

/// <summary>
/// One property of <see cref="RunResults"/>, as a stage declares it: the one it sets, or one it
/// reads. Stage results are never looked up by type: two stages may find results of the same type
/// (the base's health and the head's), and each has its own property.
/// </summary>
public abstract class ResultSlot(string name)
{
    public string Name { get; } = name;

    public abstract Type Type { get; }

    public abstract bool IsSet(RunResults results);

    /// <summary>Why the result is not there, or null when it is (or when no stage has said: a graph error, not a skip).</summary>
    public string? WhyMissing(RunResults results) => IsSet(results) ? null : results.Skipped.GetValueOrDefault(Name);

    public RunResults Skip(RunResults results, string why) => results with { Skipped = results.Skipped.SetItem(Name, why) };

    /// <summary>Puts a value the stage book was handed untyped (the stage's own result); a value of another type is a harness error.</summary>
    public abstract RunResults PutFound(RunResults results, object value);

    public override string ToString() => Name;
}

public sealed class ResultSlot<T>(string name, Func<RunResults, T?> get, Func<RunResults, T, RunResults> with) : ResultSlot(name) where T : class
{
    public override Type Type => typeof(T);

    public T? Get(RunResults results) => get(results);

    public override bool IsSet(RunResults results) => get(results) is not null;

    public RunResults Put(RunResults results, T value) => with(results, value) with { Skipped = results.Skipped.Remove(Name) };

    public override RunResults PutFound(RunResults results, object value) =>
        value is T found ? Put(results, found)
        : throw new InvalidOperationException($"{Name} holds a {typeof(T).Name}, not a {value.GetType().Name}");
}

/// <summary>The properties of <see cref="RunResults"/> as slots, each naming the property it gets and sets.</summary>
public static class ResultSlots
{
    public static readonly ResultSlot<RunPlan> Plan = new(nameof(RunResults.Plan), r => r.Plan, (r, v) => r with { Plan = v });
    public static readonly ResultSlot<AppName> App = new(nameof(RunResults.App), r => r.App, (r, v) => r with { App = v });
    public static readonly ResultSlot<DeployPlan> DeployPlan = new(nameof(RunResults.DeployPlan), r => r.DeployPlan, (r, v) => r with { DeployPlan = v });
    public static readonly ResultSlot<AdmissionResult> Admission = new(nameof(RunResults.Admission), r => r.Admission, (r, v) => r with { Admission = v });
    public static readonly ResultSlot<InstalledDependencies> Dependencies = new(nameof(RunResults.Dependencies), r => r.Dependencies, (r, v) => r with { Dependencies = v });
    public static readonly ResultSlot<VettedBase> VettedBase = new(nameof(RunResults.VettedBase), r => r.VettedBase, (r, v) => r with { VettedBase = v });
    public static readonly ResultSlot<FirstDeployment> FirstDeployment = new(nameof(RunResults.FirstDeployment), r => r.FirstDeployment, (r, v) => r with { FirstDeployment = v });
    public static readonly ResultSlot<ConvergenceVerdict> BaseConvergence = new(nameof(RunResults.BaseConvergence), r => r.BaseConvergence, (r, v) => r with { BaseConvergence = v });
    public static readonly ResultSlot<HealthAnswer> BaseHealth = new(nameof(RunResults.BaseHealth), r => r.BaseHealth, (r, v) => r with { BaseHealth = v });
    public static readonly ResultSlot<CheckResults> ChecksAfterInstall = new(nameof(RunResults.ChecksAfterInstall), r => r.ChecksAfterInstall, (r, v) => r with { ChecksAfterInstall = v });
    public static readonly ResultSlot<UpgradeMarker> UpgradeMarker = new(nameof(RunResults.UpgradeMarker), r => r.UpgradeMarker, (r, v) => r with { UpgradeMarker = v });
    public static readonly ResultSlot<HeadCheckout> HeadCheckout = new(nameof(RunResults.HeadCheckout), r => r.HeadCheckout, (r, v) => r with { HeadCheckout = v });
    public static readonly ResultSlot<VettedHead> VettedHead = new(nameof(RunResults.VettedHead), r => r.VettedHead, (r, v) => r with { VettedHead = v });
    public static readonly ResultSlot<HeadDeployment> HeadDeployment = new(nameof(RunResults.HeadDeployment), r => r.HeadDeployment, (r, v) => r with { HeadDeployment = v });
    public static readonly ResultSlot<ConvergenceVerdict> HeadConvergence = new(nameof(RunResults.HeadConvergence), r => r.HeadConvergence, (r, v) => r with { HeadConvergence = v });
    public static readonly ResultSlot<HealthAnswer> HeadHealth = new(nameof(RunResults.HeadHealth), r => r.HeadHealth, (r, v) => r with { HeadHealth = v });
    public static readonly ResultSlot<HeadIdentity> HeadIdentity = new(nameof(RunResults.HeadIdentity), r => r.HeadIdentity, (r, v) => r with { HeadIdentity = v });
    public static readonly ResultSlot<UpgradeMarkerKept> UpgradeMarkerKept = new(nameof(RunResults.UpgradeMarkerKept), r => r.UpgradeMarkerKept, (r, v) => r with { UpgradeMarkerKept = v });
    public static readonly ResultSlot<CheckResults> ChecksAfterUpgrade = new(nameof(RunResults.ChecksAfterUpgrade), r => r.ChecksAfterUpgrade, (r, v) => r with { ChecksAfterUpgrade = v });
    public static readonly ResultSlot<ColdHeadInstall> ColdInstall = new(nameof(RunResults.ColdInstall), r => r.ColdInstall, (r, v) => r with { ColdInstall = v });
    public static readonly ResultSlot<SeededMarker> Marker = new(nameof(RunResults.Marker), r => r.Marker, (r, v) => r with { Marker = v });
    public static readonly ResultSlot<UsableBackup> Backup = new(nameof(RunResults.Backup), r => r.Backup, (r, v) => r with { Backup = v });
    public static readonly ResultSlot<MutatedMarker> Mutation = new(nameof(RunResults.Mutation), r => r.Mutation, (r, v) => r with { Mutation = v });
    public static readonly ResultSlot<HealthAnswer> RestoreHealth = new(nameof(RunResults.RestoreHealth), r => r.RestoreHealth, (r, v) => r with { RestoreHealth = v });
    public static readonly ResultSlot<VerifiedMarker> MarkerVerified = new(nameof(RunResults.MarkerVerified), r => r.MarkerVerified, (r, v) => r with { MarkerVerified = v });
    public static readonly ResultSlot<CheckResults> ChecksAfterRestore = new(nameof(RunResults.ChecksAfterRestore), r => r.ChecksAfterRestore, (r, v) => r with { ChecksAfterRestore = v });
    public static readonly ResultSlot<ColdHeadInstall> Reinstall = new(nameof(RunResults.Reinstall), r => r.Reinstall, (r, v) => r with { Reinstall = v });
    public static readonly ResultSlot<CheckResults> ChecksAtEnd = new(nameof(RunResults.ChecksAtEnd), r => r.ChecksAtEnd, (r, v) => r with { ChecksAtEnd = v });
    public static readonly ResultSlot<LintReport> Lint = new(nameof(RunResults.Lint), r => r.Lint, (r, v) => r with { Lint = v });
    public static readonly ResultSlot<TeardownResult> Teardown = new(nameof(RunResults.Teardown), r => r.Teardown, (r, v) => r with { Teardown = v });
}
