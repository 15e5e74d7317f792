using RecipeCi.Abra;
using RecipeCi.Reaping;

namespace RecipeCi.Sweeps;

/// <summary>
/// What a sweep reads of the command line: where it writes, which recipes it runs and how, and the
/// options each recipe process it starts is given. Built from the parsed options by the outer layer.
/// </summary>
public sealed record SweepOptions
{
    public required string RunId { get; init; }
    public required string Artifacts { get; init; }
    public required string Catalog { get; init; }
    public required string StateDir { get; init; }
    public required string LockDir { get; init; }
    public required AbraMode Abra { get; init; }
    public required string Server { get; init; }
    public required string DomainSuffix { get; init; }
    /// <summary>Each recipe run's own deadline.</summary>
    public required TimeSpan Deadline { get; init; }
    /// <summary>How long the janitor pass before the sweep keeps bad-input messages.</summary>
    public Retention Retention { get; init; } = Retention.Default;
    public IReadOnlyList<string>? Recipes { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
    public int Parallel { get; init; } = 1;
    public bool Force { get; init; }
    public int Confirm { get; init; } = 1;
    public int BenchSize { get; init; } = 3;
}
