using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("AssertHeadDeployed")]
[TaskDescription("HC1: the app's chaos-version stamp is the head ref")]
[IsDependentOn(typeof(AwaitHeadHealthyTask))]
public sealed class AssertHeadDeployedTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => HeadIdentityCheck.AssertAsync(run, stage);
}
