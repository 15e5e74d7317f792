using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Plan")]
[TaskDescription("Fetch the recipe and print the plan a full run would follow, without touching the swarm (plan.json beside it)")]
[ReadsOptions(RunOptions.RecipeOnlyOptions)]
[IsDependentOn(typeof(PlanSummaryTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers]
public sealed class PlanTarget : FrostingTask;
