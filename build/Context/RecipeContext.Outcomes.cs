using RecipeCi.Host;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>The host's task table asks here how each stage ended: as the run recorded it.</summary>
public sealed partial class RecipeContext : ITaskOutcomeSource
{
    public TaskOutcome? OutcomeOf(string task) =>
        CurrentRun?.Stages.Stages.LastOrDefault(s => string.Equals(s.Name, task, StringComparison.OrdinalIgnoreCase)) is { } stage
            ? Outcome(stage.Status)
            : null;

    /// <summary>Only passed is a success; skipped and unverified did not run (or did nothing); the rest failed.</summary>
    public static TaskOutcome Outcome(StageStatus status) => status switch
    {
        StageStatus.Passed => TaskOutcome.Succeeded,
        StageStatus.Skipped or StageStatus.Unverified => TaskOutcome.Skipped,
        _ => TaskOutcome.Failed,
    };
}
