using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitHeadConvergence")]
[TaskDescription("Judge the head deploy: converged, rolled back, paused, failing or timed out")]
[IsDependentOn(typeof(ChaosRedeployTask))]
public sealed class AwaitHeadConvergenceTask : UpgradeStageTask
{
    protected override Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage) => ConvergenceStage.AwaitAsync(run, stage, DeployPhase.Head);
}
