using RecipeCi.Verdicts;

namespace RecipeCi.Tasks;

/// <summary>
/// A stage that is a wait on swarm (convergence, health, teardown): its whole duration is swarm's
/// time, not the harness's, when the sweep benchmark measures harness overhead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WaitsOnSwarmAttribute : Attribute;

/// <summary>The rung a stage task counts for. A stage without one (fetch, teardown) affects only the verdict.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RungAttribute(Rung rung) : Attribute
{
    public Rung Rung { get; } = rung;
}
