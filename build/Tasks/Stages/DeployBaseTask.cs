using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The run's first deploy, of the app VetBase vetted: secrets, then the base release (or the head, when the run tests no upgrade)")]
[IsDependentOn(typeof(VetBaseTask))]
[Rung(Rung.Install)]
public sealed class DeployBaseTask : PlannedStageTask<VettedBase, FirstDeployment>
{
    protected override ResultSlot<VettedBase> Needs => ResultSlots.VettedBase;
    protected override ResultSlot<FirstDeployment> Output => ResultSlots.FirstDeployment;

    protected override bool JudgesFirstDeploy => true;

    protected override async Task<FirstDeployment?> RunStageAsync(RunParts run, RunPlan plan, VettedBase vetted, StageRecorder stage, CancellationToken ct) =>
        await run.Deployer.DeployFirstAsync(plan, vetted.Provisioned, stage, ct);
}
