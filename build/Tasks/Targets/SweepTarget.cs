using RecipeCi.Host;
using RecipeCi.Tasks.Sweeps;

namespace RecipeCi.Tasks.Targets;

[TaskName(Name)]
[TaskDescription("A janitor pass over --lock-dir, then every enrolled recipe (--recipes, --shard) at its newest release tag, cold, each in its own process (Sweep:<recipe>), at most --parallel at once; red recipes re-run alone (--confirm) and classified deterministic, flaky or unstable; canonical state and the sweep report")]
[ReadsOptions("recipes shard parallel force confirm state-dir run-id artifacts catalog lock-dir abra server domain-suffix deadline retention-days")]
[IsDependentOn(typeof(SweepReportTask))]
public sealed class SweepTarget : FrostingTask
{
    public const string Name = "Sweep";
}
