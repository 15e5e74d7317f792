using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("abra app deploy --chaos of the head over the base")]
[IsDependentOn(typeof(VetHeadTask))]
[Rung(Rung.Upgrade)]
public sealed class ChaosRedeployTask : PlannedStageTask<VettedHead, HeadDeployment>
{
    protected override ResultSlot<VettedHead> Needs => ResultSlots.VettedHead;
    protected override ResultSlot<HeadDeployment> Output => ResultSlots.HeadDeployment;

    protected override async Task<HeadDeployment?> RunStageAsync(RunParts run, RunPlan plan, VettedHead vetted, StageRecorder stage, CancellationToken ct) =>
        await run.Deployer.ChaosRedeployAsync(plan, vetted.Provisioned, stage, ct);
}
