using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitHeadHealthy")]
[TaskDescription("Wait until the head answers its health path")]
[IsDependentOn(typeof(AwaitHeadConvergenceTask))]
public sealed class AwaitHeadHealthyTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => HealthProbe.AwaitAsync(run, stage, DeployPhase.Upgrade);
}
