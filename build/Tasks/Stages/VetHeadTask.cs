using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The trust boundary over the head's tree and the env its deploy will use: refused if it reaches into the host")]
[IsDependentOn(typeof(CheckoutHeadTask))]
[Rung(Rung.Upgrade)]
public sealed class VetHeadTask : PlannedStageTask<HeadCheckout, VettedHead>
{
    protected override ResultSlot<HeadCheckout> Needs => ResultSlots.HeadCheckout;
    protected override ResultSlot<VettedHead> Output => ResultSlots.VettedHead;

    protected override Task<VettedHead?> RunStageAsync(RunParts run, RunPlan plan, HeadCheckout checkout, StageRecorder stage, CancellationToken ct) =>
        Task.FromResult<VettedHead?>(run.Vetting.VetHead(plan, stage));
}
