using RecipeCi.Host;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>The host's task table asks here how each task ended: a stage as the run recorded it, a swept recipe by its verdict.</summary>
public sealed partial class RecipeContext : ITaskOutcomeSource
{
    public TaskOutcome? OutcomeOf(string task) =>
        Enum.TryParse<StageId>(task, ignoreCase: true, out var id) && CurrentRun?.Stages.Stages.LastOrDefault(s => s.Kind.Stage == id) is { } stage
            ? Outcome(stage.Status)
            : SweptOutcome(task);

    /// <summary>Only passed is a success; skipped and unverified did not run (or did nothing); the rest failed.</summary>
    public static TaskOutcome Outcome(StageStatus status) => status switch
    {
        StageStatus.Passed => TaskOutcome.Succeeded,
        StageStatus.Skipped or StageStatus.Unverified => TaskOutcome.Skipped,
        _ => TaskOutcome.Failed,
    };

    /// <summary>A <c>Sweep:&lt;recipe&gt;</c> task: the verdict of the recipe's run, once the sweep has it.</summary>
    private TaskOutcome? SweptOutcome(string task)
    {
        if (Sweep is null || task.Split(':') is not [_, var recipe] || Sweep.Recipes.All(r => r.Name != recipe)) return null;
        try
        {
            return Sweep.ResultFor(recipe) is { IsCompletedSuccessfully: true } done
                ? done.Result.Verdict switch { Verdict.Passed => TaskOutcome.Succeeded, Verdict.Skipped => TaskOutcome.Skipped, _ => TaskOutcome.Failed }
                : null;
        }
        catch (InvalidOperationException)
        {
            return null; // the sweep never started its runs: Cake's status stands
        }
    }
}
