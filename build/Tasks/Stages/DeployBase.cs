using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("DeployBase")]
[TaskDescription("abra app new at the base release, generate secrets, deploy the base")]
[IsDependentOn(typeof(FetchRecipeTask))]
public sealed class DeployBaseTask : UpgradeStageTask
{
    protected override StageStatus FailureStatus => StageStatus.BaselineBroken;
    protected override Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage) => AppDeployer.DeployBaseAsync(run, stage);
}
