using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Only when backup or restore failed: tear the stack down and install the head afresh, so that the end's custom checks still ask an app whose data no failed restore touched (the verdict stays the failure's)")]
[IsDependentOn(typeof(ColdInstallHeadTask))]
public sealed class ReinstallHeadTask : StartOverStageTask<ColdHeadInstall>
{
    protected override ResultSlot<ColdHeadInstall> Output => ResultSlots.Reinstall;

    /// <summary>A run that plans no backup and restore has nothing to start over from: no record at all.</summary>
    public override bool ShouldRun(RecipeContext context) =>
        context.RequireRun().Stages.Results.Plan is { } plan && plan.Rungs.Contains(Rung.BackupRestore) && base.ShouldRun(context);

    protected override bool Lifts(RunParts run, RunPlan plan, StageStop stop, bool stopping) => run.ColdInstallHead.LiftsForChecks(stop, plan, stopping);

    /// <summary>The vetted first deploy carries what the dependencies provisioned: the fresh install wires the same values in.</summary>
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.VettedBase];

    protected override Task<ColdHeadInstall?> RunStageAsync(RunParts run, RunPlan plan, StageInputs inputs, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        run.ColdInstallHead.ReinstallForChecksAsync(plan, inputs.IfSet(ResultSlots.VettedBase)?.Provisioned ?? Provisioned.Nothing, lifted, stage, ct);
}
