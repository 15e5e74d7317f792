using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Judge the head deploy: converged, rolled back, paused, failing or timed out")]
[IsDependentOn(typeof(ChaosRedeployTask))]
[Rung(Rung.Upgrade)]
[WaitsOnSwarm]
public sealed class AwaitHeadConvergenceTask : PlannedStageTask<HeadDeployment, ConvergenceVerdict>
{
    protected override ResultSlot<HeadDeployment> Needs => ResultSlots.HeadDeployment;
    protected override ResultSlot<ConvergenceVerdict> Output => ResultSlots.HeadConvergence;

    protected override async Task<ConvergenceVerdict?> RunStageAsync(RunParts run, RunPlan plan, HeadDeployment deployment, StageRecorder stage, CancellationToken ct) =>
        await run.Converger.AwaitAsync(plan, deployment, DeployPhase.Upgrade, stage, ct);
}
