using RecipeCi.Locks;
using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The release an upgrade starts from, or why there is none.</summary>
public sealed record BasePlan(ReleaseTag? Tag, string How)
{
    public bool Skipped => Tag is null;
}

/// <summary>What the run deploys first: the base release (an upgrade follows), the head itself, or nothing.</summary>
public enum FirstDeploy { Base, Head, None }

/// <summary>An app as the run names it: its domain (the lock's key) and its stack.</summary>
public sealed record AppName(string Domain, StackName Stack);

/// <summary>
/// What FetchRecipe resolved, fixed for the rest of the run: the recipe tree, the exact head, the
/// base, what is deployed first, the overlay, the app's names, the rungs, and the app-domain lock
/// the run holds when it deploys (none for Lint and Plan, which never touch the swarm). Every
/// stage after FetchRecipe receives it; none can change it.
/// </summary>
public sealed record RunPlan(
    GitRepository Repo,
    string HeadRef,
    RecipeVersion? HeadVersion,
    BasePlan Base,
    FirstDeploy FirstDeploy,
    string? OverlayFile,
    AppName App,
    IReadOnlySet<Rung> Rungs,
    AppDomainLock? Lock,
    IReadOnlyDictionary<string, object?> Customization)
{
    public string Domain => App.Domain;
    public StackName Stack => App.Stack;
    /// <summary>The overlay for the base deploy only (overlays/&lt;recipe&gt;/previous/), in the tree; dropped from COMPOSE_FILE before the head deploy.</summary>
    public string? PreviousOverlayFile { get; init; }
    /// <summary>The short head, as logs and the stamp show it.</summary>
    public string ShortHead => HeadRef[..12];
    /// <summary>Which deploy the first deploy's stages judge.</summary>
    public DeployPhase FirstPhase => FirstDeploy == FirstDeploy.Base ? DeployPhase.Base : DeployPhase.Install;
}

/// <summary>Which deploy a stage judges: the base release, the head installed fresh, or the head as an upgrade.</summary>
public enum DeployPhase { Base, Install, Upgrade }
