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
    TimeSpan Deadline);
