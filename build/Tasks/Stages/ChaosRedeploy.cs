using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("ChaosRedeploy")]
[TaskDescription("abra app deploy --chaos of the head over the base")]
[IsDependentOn(typeof(CheckoutHeadTask))]
public sealed class ChaosRedeployTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => AppDeployer.ChaosRedeployAsync(run, stage);
}
