using RecipeCi.Host;
using RecipeCi.Results;
using RecipeCi.State;
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

    /// <summary>A <c>Sweep:&lt;recipe&gt;</c> task only waits for the recipe's process: its own time is that process's wall time.</summary>
    public TimeSpan? DurationOf(string task) => SweptLine(task) is { Ran: true } line ? TimeSpan.FromSeconds(line.WallS) : null;

    /// <summary>A <c>Sweep:&lt;recipe&gt;</c> task: the verdict of the recipe's run, once the sweep has it.</summary>
    private TaskOutcome? SweptOutcome(string task) =>
        SweptLine(task)?.Verdict switch
        {
            null => null,
            Verdict.Passed => TaskOutcome.Succeeded,
            Verdict.Skipped => TaskOutcome.Skipped,
            _ => TaskOutcome.Failed,
        };

    /// <summary>The sweep's line of a <c>Sweep:&lt;recipe&gt;</c> task once the sweep has it; null for any other task.</summary>
    private RecipeSweepResult? SweptLine(string task)
    {
        if (Sweep is null || task.Split(':') is not [_, var recipe] || Sweep.Recipes.All(r => r.Name != recipe)) return null;
        try
        {
            return Sweep.ResultFor(recipe) is { IsCompletedSuccessfully: true } done ? done.Result : null;
        }
        catch (InvalidOperationException)
        {
            return null; // the sweep never started its runs: Cake's status stands
        }
    }
}
