using RecipeCi.Context;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Reports;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Tables;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Sweeps;

[TaskName(Name)]
[TaskDescription("Wait for every recipe of the sweep, then write summary.json, summary.md, summary.html and one junit.xml; the exit code says whether anything regressed")]
[IsDependentOn(typeof(SweepPlanTask))]
public sealed class SweepReportTask : AsyncFrostingTask<RecipeContext>
{
    public const string Name = "SweepReport";

    public override async Task RunAsync(RecipeContext context)
    {
        var session = SweepRecipeTasks.Session(context);
        var summary = await session.FinishAsync();
        context.Say("");
        context.Say($"Recipe CI sweep {summary.SweepId}: {SweepSummary.CountOf(summary.Recipes.Count)} in {summary.WallS:0.0}s");
        var recipes = new TextTable(6);
        foreach (var r in summary.Recipes)
            recipes.Row(r.Recipe, r.Verdict.Word(), $"L{r.Level}", r.Change.Word(), r.Classification is null ? "" : SweepReportWriter.Isolation(r), $"canonical {r.Canonical.Note}");
        foreach (var line in recipes.Lines()) context.Say(line);
        context.Say($"Before the sweep: {summary.Janitor.Account}");
        new ArtifactIndex(context.Options.Artifacts, context.Options.StateDir, ArtifactWriter.NoSecrets).Write(context.Say);
        foreach (var line in RunSummary.Closing(summary, session.SweepDirectory)) context.SayLast(line.Text, line.Colour);
        // A stop (signal, deadline) is the lifetime's to report; otherwise whether anything regressed.
        context.ExitCode = context.Stop?.ExitCode ?? summary.ExitCode;
    }
}
