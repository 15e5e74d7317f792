using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("git checkout -f the head ref in the run's recipe tree")]
[IsDependentOn(typeof(SeedUpgradeMarkerTask))]
[Rung(Rung.Upgrade)]
public sealed class CheckoutHeadTask : PlannedStageTask<HeadCheckout>
{
    protected override ResultSlot<HeadCheckout> Output => ResultSlots.HeadCheckout;

    protected override async Task<HeadCheckout?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.Deployer.CheckoutHeadAsync(plan, stage, ct);
}
