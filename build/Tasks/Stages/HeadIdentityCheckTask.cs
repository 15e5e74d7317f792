using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("HC1: the app's chaos-version stamp is the head ref")]
[IsDependentOn(typeof(AwaitHeadHealthyTask))]
[Rung(Rung.Upgrade)]
public sealed class HeadIdentityCheckTask : PlannedStageTask<HeadIdentity>
{
    protected override ResultSlot<HeadIdentity> Output => ResultSlots.HeadIdentity;

    protected override async Task<HeadIdentity?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.HeadIdentityCheck.AssertAsync(plan, stage, ct);
}
