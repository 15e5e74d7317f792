using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitBaseConvergence")]
[TaskDescription("Wait until the base deploy converged, then check the base's version label")]
[IsDependentOn(typeof(DeployBaseTask))]
public sealed class AwaitBaseConvergenceTask : UpgradeStageTask
{
    protected override StageStatus FailureStatus => StageStatus.BaselineBroken;
    protected override Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage) => ConvergenceStage.AwaitAsync(run, stage, DeployPhase.Base);
}
