using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Clone the recipe into the run's own ABRA_DIR, resolve the head ref and the base release, add the overlay, take the app-domain lock when the run deploys")]
public sealed class FetchRecipeTask : StageTask<RunPlan>
{
    protected override ResultSlot<RunPlan> Output => ResultSlots.Plan;
    /// <summary>The app's names once known: a run stopped while waiting for the lock must say whose stack it left alone.</summary>
    public override ResultSlot LeavesWhenStopped => ResultSlots.App;

    protected override async Task<RunPlan?> RunStageAsync(RunParts run, StageInputs inputs, StageRecorder stage, CancellationToken ct)
    {
        var plan = await run.FetchRecipe.FetchAsync(stage, ct);
        if (plan is not null) await run.ObserveEnvironmentAsync(plan, stage, ct);
        return plan;
    }
}
