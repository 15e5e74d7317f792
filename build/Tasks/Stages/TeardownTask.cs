using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Always: remove the stack's services, kill their containers (no graceful stops) and remove the app, then verify nothing of its stack remains; then the same for each dependency app")]
[WaitsOnSwarm]
public sealed class TeardownTask : StageTask<TeardownResult>
{
    protected override ResultSlot<TeardownResult> Output => ResultSlots.Teardown;
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.Plan, ResultSlots.App];

    public override bool ShouldRun(RecipeContext context) => context.HasRun && context.RequireRun().Stages.ShouldRun(KindIn(context.RequireRun()), always: true);

    public override Task RunAsync(RecipeContext context)
    {
        context.EndDeadline();
        return base.RunAsync(context);
    }

    // Teardown has its own budget: a run stopped by a signal or its deadline must still clean up.
    protected override CancellationToken StageCancellation(RecipeContext context) => new CancellationTokenSource(Teardown.Budget, context.Clock).Token;

    protected override async Task<TeardownResult?> RunStageAsync(RunParts run, StageInputs inputs, StageRecorder stage, CancellationToken ct)
    {
        var result = await run.Teardown.RunAsync(inputs.IfSet(ResultSlots.Plan), inputs.IfSet(ResultSlots.App), stage, ct);
        // The apps it needed go after the app: nothing of the app still talks to them.
        await run.Dependencies.TeardownAsync(stage, ct);
        return result;
    }
}
