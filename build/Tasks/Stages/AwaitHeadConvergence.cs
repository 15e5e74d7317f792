using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitHeadConvergence")]
[TaskDescription("Judge the head deploy: converged, rolled back, paused, failing or timed out")]
[IsDependentOn(typeof(ChaosRedeployTask))]
public sealed class AwaitHeadConvergenceTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => ConvergenceStage.AwaitAsync(run, stage, DeployPhase.Upgrade);
}
