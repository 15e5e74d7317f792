using RecipeCi.Abra;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What a recipe run is asked to do, as the lifecycle reads it: the recipe, the PR and ref under
/// test, the base asked for, where evidence goes and under which run id, the abra driver and
/// server, the app-domain suffix, the lock folder, the rungs picked and the run's deadline.
/// Context builds it once from the command line's options.
/// </summary>
public sealed record RunInputs(
    string Recipe,
    string? Pr,
    string? Ref,
    string? Base,
    string Artifacts,
    string RunId,
    AbraMode Abra,
    string Server,
    string DomainSuffix,
    string LockDir,
    IReadOnlySet<Rung> Rungs,
    TimeSpan Deadline)
{
    /// <summary>
    /// For a dependency's own run: the identity (recipe|pr|ref) of the run that needs it. Its app
    /// domain is keyed on that, so each run of an app gets its own dependency apps and locks.
    /// </summary>
    public string? DependencyOf { get; init; }

    /// <summary>The handle of the dependencies the run's sweep shares (<see cref="SharedDependencies"/>), or null: the run installs its own.</summary>
    public string? SharedDeps { get; init; }

    /// <summary>What the app domain is keyed on besides recipe and head: the PR, or the run a dependency serves.</summary>
    public string? DomainKey => DependencyOf ?? Pr;

    /// <summary>
    /// The inputs of a dependency's own run: installed at <paramref name="canonical"/> (the commit
    /// sweeps last promoted), else at its newest release; its domain keyed on this run, or on
    /// <paramref name="of"/> (the sweep that shares it).
    /// </summary>
    public RunInputs ForDependency(string recipe, string? canonical, string? of = null) => this with
    {
        Recipe = recipe, Pr = null, Ref = canonical, Base = null, Rungs = new HashSet<Rung> { Rung.Install }, DependencyOf = of ?? $"{Recipe}|{Pr}|{Ref}",
        SharedDeps = null,
    };
}
