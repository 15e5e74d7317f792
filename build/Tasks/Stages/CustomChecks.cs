using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskName("CustomChecks")]
[TaskDescription("The recipe's own checks from tests/<recipe>/ (checks.yaml and executables), one JUnit testcase each")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[Rung(Rung.Custom)]
public sealed class CustomChecksTask : PlannedStageTask<CheckResults>
{
    protected override Task<CheckResults?> RunStageAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        CustomChecks.RunAsync(run, plan, stage);
}
