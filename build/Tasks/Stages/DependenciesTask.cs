using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Only for a recipe with depends: install each app it needs cold (its own stages in deps/<recipe>/), or take the one its sweep shares (--shared-deps), and run its provision hook for the app; a dependency that fails is an error, not the recipe's")]
[IsDependentOn(typeof(RunAdmissionTask))]
[WaitsOnSwarm]
public sealed class DependenciesTask : PlannedStageTask<InstalledDependencies>
{
    protected override ResultSlot<InstalledDependencies> Output => ResultSlots.Dependencies;

    /// <summary>A recipe that needs nothing has no record of this stage at all.</summary>
    public override bool ShouldRun(RecipeContext context) => context.RequireRun().Dependencies.Any && base.ShouldRun(context);

    protected override async Task<InstalledDependencies?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.Dependencies.InstallAsync(plan, stage, ct);
}
