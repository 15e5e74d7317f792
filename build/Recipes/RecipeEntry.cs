namespace RecipeCi.Recipes;

/// <summary>How the harness decides the app is really serving.</summary>
public sealed record HealthCheck(string Service, string Path, int Port, IReadOnlyList<int> Statuses)
{
    public static readonly HealthCheck Default = new("app", "/", 80, [200, 301, 302]);
}

public sealed record Timeouts(int Deploy, int Health)
{
    public static readonly Timeouts Default = new(300, 120);
}

/// <summary>
/// How to seed, remove and find a data marker in a recipe's own terms (commands run in
/// <see cref="Service"/>'s container, <c>{marker}</c> replaced), and the probe that proves a fresh
/// backup is not empty. Without it the harness uses a file in a volume the backup keeps whole.
/// </summary>
public sealed record BackupMarker(string Service, string Seed, string Remove, string Check, string? Verify, int Attempts);

/// <summary>What a recipe needs free on the machine before it may deploy (null: not declared).</summary>
public sealed record ResourceNeeds(int? MemoryMb, int? DiskMb);

/// <summary>One enrolled recipe, as <c>recipes.yaml</c> declares it.</summary>
public sealed record RecipeEntry(
    string Name,
    string Repository,
    string? Mirror,
    HealthCheck Health,
    Timeouts Timeouts,
    string? Base,
    IReadOnlyDictionary<string, string> Env)
{
    /// <summary>Readiness probes run after the health path answers (install and upgrade).</summary>
    public IReadOnlyList<Recipes.CheckSpec> Probes { get; init; } = [];
    public BackupMarker? Backup { get; init; }
    public ResourceNeeds? Needs { get; init; }
    /// <summary>Rungs the maintainer declared not applicable, with why: only these are <c>skip</c> when they cannot run (others are a coverage gap).</summary>
    public IReadOnlyDictionary<Verdicts.Rung, string> NotApplicable { get; init; } = new Dictionary<Verdicts.Rung, string>();
    /// <summary>Env lines set just before the head deploy (ChaosRedeploy) only; the base never sees them.</summary>
    public IReadOnlyDictionary<string, string> UpgradeEnv { get; init; } = new Dictionary<string, string>();
    /// <summary>Trust-boundary rules (by name) the operator allows this recipe to break; never from the recipe itself.</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];
    /// <summary>The recipe's repository on the forge, where <c>!testme</c> is commented on its pull requests; null: not watched.</summary>
    public ForgeRepository? Forge { get; init; }
    /// <summary>What the routing probe expects of the recipe's traefik labels, or why it does not probe.</summary>
    public RoutingSetting Routing { get; init; } = RoutingSetting.Abra;
    /// <summary>Enrolled recipes this one needs deployed and provisioned before its first deploy.</summary>
    public IReadOnlyList<Dependency> Depends { get; init; } = [];
    /// <summary>
    /// The line of each of its keys in <c>recipes.yaml</c>, so that bad input found later can name
    /// file:line; where the entry was written, not what it declares, so never serialized with it.
    /// </summary>
    [Newtonsoft.Json.JsonIgnore]
    public IReadOnlyDictionary<string, int> KeyLines { get; init; } = new Dictionary<string, int>();
}

/// <summary>
/// What the routing probe expects of a recipe's traefik routers: the entrypoint and cert resolver an
/// abra server's traefik defines (<c>routing: {entrypoint, cert_resolver}</c>), or no probe at all
/// with why (<c>routing: {none: why}</c>).
/// </summary>
/// <param name="CertResolver">A template over the app's env, e.g. <c>${LETS_ENCRYPT_ENV}</c>.</param>
public sealed record RoutingSetting(string EntryPoint, string CertResolver, string? None = null)
{
    public const string AbraEntryPoint = "web-secure";
    public const string AbraCertResolver = "${LETS_ENCRYPT_ENV}";

    public static readonly RoutingSetting Abra = new(AbraEntryPoint, AbraCertResolver);
}
