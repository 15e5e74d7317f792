using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("ChaosRedeploy")]
[TaskDescription("abra app deploy --chaos of the head over the base")]
[IsDependentOn(typeof(CheckoutHeadTask))]
public sealed class ChaosRedeployTask : UpgradeStageTask
{
    protected override Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage) => AppDeployer.ChaosRedeployAsync(run, stage);
}
