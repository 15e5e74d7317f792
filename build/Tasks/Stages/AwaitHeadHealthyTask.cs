using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Wait until the head answers its health path")]
[IsDependentOn(typeof(AwaitHeadConvergenceTask))]
[Rung(Rung.Upgrade)]
[WaitsOnSwarm]
public sealed class AwaitHeadHealthyTask : PlannedStageTask<HealthAnswer>
{
    protected override ResultSlot<HealthAnswer> Output => ResultSlots.HeadHealth;

    protected override async Task<HealthAnswer?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.Health.AwaitAsync(plan, stage, DeployPhase.Upgrade, ct);
}
