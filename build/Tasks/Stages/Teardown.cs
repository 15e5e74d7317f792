using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("Teardown")]
[TaskDescription("Always: undeploy and remove the app, then verify nothing of its stack remains")]
public sealed class TeardownTask : StageTask
{
    public override bool ShouldRun(RecipeContext context) => context.HasRun && context.RequireRun().Stages.ShouldRun("Teardown", always: true);

    public override Task RunAsync(RecipeContext context)
    {
        context.EndDeadline();
        return base.RunAsync(context);
    }

    // Teardown has its own budget: a run stopped by a signal or its deadline must still clean up.
    protected override CancellationToken StageCancellation(RecipeRun run) => new CancellationTokenSource(StackTeardown.Budget).Token;

    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => StackTeardown.RunAsync(run, stage, ct);
}
