using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("CheckoutHead")]
[TaskDescription("git checkout -f the head ref in the run's recipe tree")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
public sealed class CheckoutHeadTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => AppDeployer.CheckoutHeadAsync(run, stage);
}
