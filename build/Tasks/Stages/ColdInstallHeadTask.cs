using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Only when the upgrade failed: tear the stack down and install the head afresh, so that backup/restore and custom checks still get results of their own (the verdict stays the upgrade's)")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
public sealed class ColdInstallHeadTask : StartOverStageTask<ColdHeadInstall>
{
    protected override ResultSlot<ColdHeadInstall> Output => ResultSlots.ColdInstall;

    /// <summary>A run that tests no upgrade has nothing to start over from: no record at all.</summary>
    public override bool ShouldRun(RecipeContext context) =>
        context.RequireRun().Stages.Results.Plan is not { FirstDeploy: not FirstDeploy.Base } && base.ShouldRun(context);

    protected override bool Lifts(RunParts run, RunPlan plan, StageStop stop, bool stopping) => run.ColdInstallHead.Lifts(stop, plan, stopping);

    /// <summary>The vetted first deploy carries what the dependencies provisioned: the cold install wires the same values in.</summary>
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.VettedBase];

    protected override Task<ColdHeadInstall?> RunStageAsync(RunParts run, RunPlan plan, StageInputs inputs, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        run.ColdInstallHead.RunAsync(plan, inputs.IfSet(ResultSlots.VettedBase)?.Provisioned ?? Provisioned.Nothing, lifted, stage, ct);
}
