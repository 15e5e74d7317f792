using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("HeadIdentityCheck")]
[TaskDescription("HC1: the app's chaos-version stamp is the head ref")]
[IsDependentOn(typeof(AwaitHeadHealthyTask))]
[Rung(Rung.Upgrade)]
public sealed class HeadIdentityCheckTask : PlannedStageTask<HeadIdentity>
{
    protected override ResultSlot<HeadIdentity> Output => ResultSlots.HeadIdentity;

    protected override async Task<HeadIdentity?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await HeadIdentityCheck.AssertAsync(run, plan, stage, ct);
}
