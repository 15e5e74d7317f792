using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("DeployBase")]
[TaskDescription("The run's first deploy: abra app new, secrets, then the base release (or the head, when the run tests no upgrade)")]
[IsDependentOn(typeof(RunAdmissionTask))]
[Rung(Rung.Install)]
public sealed class DeployBaseTask : PlannedStageTask<FirstDeployment>
{
    protected override bool JudgesFirstDeploy => true;

    protected override async Task<FirstDeployment?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await AppDeployer.DeployFirstAsync(run, plan, stage);
}
