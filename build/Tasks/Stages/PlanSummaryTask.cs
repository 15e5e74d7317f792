using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Print the plan a full run of the ref would follow (head, base and why, compose files, services, secrets, configs, rungs, names) without touching the swarm")]
[IsDependentOn(typeof(FetchRecipeTask))]
public sealed class PlanSummaryTask : PlannedStageTask<DeployPlan>
{
    protected override ResultSlot<DeployPlan> Output => ResultSlots.DeployPlan;

    protected override Task<DeployPlan?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        Task.FromResult<DeployPlan?>(run.PlanSummary.Describe(plan, stage));
}
