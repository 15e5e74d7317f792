using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AwaitBaseHealthy")]
[TaskDescription("Wait until the base answers its health path")]
[IsDependentOn(typeof(AwaitBaseConvergenceTask))]
public sealed class AwaitBaseHealthyTask : UpgradeStageTask
{
    protected override StageStatus FailureStatus => StageStatus.BaselineBroken;
    protected override Task RunUpgradeStageAsync(RecipeRun run, StageRecorder stage) => HealthProbe.AwaitAsync(run, stage, DeployPhase.Base);
}
