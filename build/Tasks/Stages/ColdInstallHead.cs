using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName(ColdInstall.StageName)]
[TaskDescription("Only when the upgrade failed: tear the stack down and install the head afresh, so that backup/restore and custom checks still get results of their own (the verdict stays the upgrade's)")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
public sealed class ColdInstallHeadTask : PlannedStageTask<ColdHeadInstall>
{
    protected override ResultSlot<ColdHeadInstall> Output => ResultSlots.ColdInstall;

    public override bool ShouldRun(RecipeContext context)
    {
        var run = context.RequireRun();
        var plan = run.Stages.Results.Plan;
        // A run that tests no upgrade has nothing to start over from: no record at all.
        if (plan is { FirstDeploy: not FirstDeploy.Base }) return false;
        return run.Stages.ShouldRun(KindIn(run), always: plan is not null && ColdInstall.FailedUpgrade(run, plan, context.Interrupt.Token) is not null);
    }

    protected override Task<ColdHeadInstall?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        ColdInstall.RunAsync(run, plan, stage, ct);
}
