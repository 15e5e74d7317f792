using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitBaseHealthy")]
[TaskDescription("Wait until the first deploy answers its health path and readiness probes")]
[IsDependentOn(typeof(AwaitBaseConvergenceTask))]
public sealed class AwaitBaseHealthyTask : FirstDeployStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => HealthProbe.AwaitAsync(run, stage, Phase(run));
}
