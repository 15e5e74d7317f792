using RecipeCi.Context;
using RecipeCi.Host;

namespace RecipeCi.Tasks.Sweeps;

[TaskName(Name)]
[TaskDescription("Run the janitor over --lock-dir (stacks of dead runs go, live runs stay), then read each swept recipe's newest release tag and canonical state, decide run or skip, and start the runs (at most --parallel at once)")]
public sealed class SweepPlanTask : AsyncFrostingTask<RecipeContext>
{
    public const string Name = "SweepPlan";

    public override Task RunAsync(RecipeContext context) =>
        SweepRecipeTasks.Session(context).StartAsync(context.Say, context.Interrupt.Token);
}
