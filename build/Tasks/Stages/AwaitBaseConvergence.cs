using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitBaseConvergence")]
[TaskDescription("Wait until the first deploy converged, then check what runs: the base's version label, or the head's stamp")]
[IsDependentOn(typeof(DeployBaseTask))]
public sealed class AwaitBaseConvergenceTask : FirstDeployStageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => ConvergenceStage.AwaitAsync(run, stage, Phase(run));
}
