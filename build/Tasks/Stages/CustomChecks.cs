using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("CustomChecks")]
[TaskDescription("The recipe's own checks from tests/<recipe>/ (checks.yaml and executables), one JUnit testcase each")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
public sealed class CustomChecksTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => CustomChecks.RunAsync(run, stage);
}
