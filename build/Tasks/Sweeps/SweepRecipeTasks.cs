using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Reports;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Tasks.Targets;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Sweeps;

/// <summary>
/// The sweep's matrix as tasks: one <c>Sweep:&lt;recipe&gt;</c> per swept recipe, between
/// SweepPlan and SweepReport, so that <c>--tree</c>, <c>--description</c> and <c>--dryrun</c>
/// show which recipes a sweep (or a shard of one) holds. Each waits for its recipe's own process
/// and reports its line; the processes themselves run side by side from SweepPlan on.
/// </summary>
public static class SweepRecipeTasks
{
    public static IEnumerable<DynamicTask> For(RecipeContext context)
    {
        if (!string.Equals(context.Target, SweepTarget.Name, StringComparison.OrdinalIgnoreCase)) return [];
        var session = context.Sweep = SweepSession.Open(context.Options.ForSweep(), context.Clock);
        return session.Recipes.Select(r => new DynamicTask(
            $"{SweepTarget.Name}:{r.Name}",
            $"{r.Name} at its newest release tag, cold, in its own process ({SweepPlan.RecipeTarget} target: {string.Join(", ", Rungs.All.Select(r => r.Word()))})",
            async () =>
            {
                var line = await session.ResultFor(r.Name);
                context.Say($"{r.Name}: {line.Verdict.Word()}, L{line.Level}{(line.Classification is null ? "" : $", {SweepReportWriter.Isolation(line)}")}{(line.Reason is null ? "" : " - " + line.Reason)}");
            })
        {
            DependsOn = [SweepPlanTask.Name],
            DependeeOf = [SweepReportTask.Name],
        });
    }

    public static SweepSession Session(RecipeContext context) =>
        context.Sweep ?? throw new InvalidOperationException($"no sweep: run --target={SweepTarget.Name}");
}
