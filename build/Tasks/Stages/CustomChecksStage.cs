using RecipeCi.Checks;
using RecipeCi.Context;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Results;

namespace RecipeCi.Tasks.Stages;

/// <summary>
/// The custom checks of one moment (<c>after:</c> in checks.yaml). They only ask the app, so a
/// failed check does not stop the stages after it. An earlier moment with no check of its own is
/// left out of the run's records altogether; the end always reports (a gap when there are no checks).
/// </summary>
public abstract class CustomChecksStage : StageTask
{
    protected abstract CheckMoment Moment { get; }

    protected abstract ResultSlot<CheckResults> Output { get; }
    public sealed override ResultSlot Sets => Output;
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan];
    /// <summary>Only a recipe with <c>depends:</c> has apps whose domains a browser check may go to, and values their hooks gave for the checks (again at VetHead).</summary>
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.Dependencies, ResultSlots.VettedHead];

    protected override bool OnlyObserves => true;

    public override bool ShouldRun(RecipeContext context) =>
        (Moment == CheckMoment.End || context.RequireRun().CustomChecks.AnyAt(Moment)) && base.ShouldRun(context);

    private protected override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct)
    {
        var inputs = new StageInputs(results, ReadsIfSet);
        return await run.CustomChecks.RunAsync(Input(results, ResultSlots.Plan), inputs.IfSet(ResultSlots.Dependencies), inputs.IfSet(ResultSlots.VettedHead), stage, Moment, ct);
    }
}
