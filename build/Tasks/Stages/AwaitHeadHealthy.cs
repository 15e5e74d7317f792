using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitHeadHealthy")]
[TaskDescription("Wait until the head answers its health path")]
[IsDependentOn(typeof(AwaitHeadConvergenceTask))]
[Rung(Rung.Upgrade)]
[WaitsOnSwarm]
public sealed class AwaitHeadHealthyTask : PlannedStageTask<HealthAnswer>
{
    protected override ResultSlot<HealthAnswer> Output => ResultSlots.HeadHealth;

    protected override async Task<HealthAnswer?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await HealthProbe.AwaitAsync(run, plan, stage, DeployPhase.Upgrade, ct);
}
