using RecipeCi.Context;
using RecipeCi.Host;

namespace RecipeCi.Tasks.Sweeps;

[TaskName(Name)]
[TaskDescription("Run the janitor over --lock-dir (stacks of dead runs go, live runs stay), then read each swept recipe's newest release tag and canonical state, decide run or skip, install once the sweep-scoped dependencies the runs need, and start the runs (at most --parallel at once)")]
public sealed class SweepPlanTask : AsyncFrostingTask<RecipeContext>
{
    public const string Name = "SweepPlan";

    public override Task RunAsync(RecipeContext context)
    {
        var session = SweepRecipeTasks.Session(context);
        var shared = context.SweepDependencies = new SweepDependencies(context.Options, session.Catalog, session.SweepDirectory, context.Say, context.Clock,
            recipe => session.State.TryReadCanonical(recipe)?.Commit);
        return session.StartAsync(context.Say, context.Interrupt.Token, shared.InstallAsync, context.LiveSweepStatus(session.Options.RunId));
    }
}
