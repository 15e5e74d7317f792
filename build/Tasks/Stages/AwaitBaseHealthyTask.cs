using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Wait until the first deploy answers its health path and readiness probes")]
[IsDependentOn(typeof(AwaitBaseConvergenceTask))]
[Rung(Rung.Install)]
[WaitsOnSwarm]
public sealed class AwaitBaseHealthyTask : PlannedStageTask<HealthAnswer>
{
    protected override ResultSlot<HealthAnswer> Output => ResultSlots.BaseHealth;

    protected override bool JudgesFirstDeploy => true;

    protected override async Task<HealthAnswer?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.Health.AwaitAsync(plan, stage, plan.FirstPhase, ct);
}
