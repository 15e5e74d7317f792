using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("DeployBase")]
[TaskDescription("The run's first deploy: abra app new, secrets, then the base release (or the head, when the run tests no upgrade)")]
[IsDependentOn(typeof(AdmitRunTask))]
public sealed class DeployBaseTask : FirstDeployStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => AppDeployer.DeployFirstAsync(run, stage);
}
