using RecipeCi.Status;
using RecipeCi.Tables;

namespace RecipeCi.Sweeps;

/// <summary>
/// What the live status of a sweep on a terminal says at a moment: a headline with the counts, then a
/// line per recipe process running now (the longest running first) with its current stage, how long
/// it has been in it and how long the process has run. Pure: the snapshot and the moment are given.
/// </summary>
public static class SweepStatus
{
    /// <summary>Said of a run whose folder shows no stage yet: its process is starting or fetching its recipe.</summary>
    public const string NoStageYet = "starting";

    public static IReadOnlyList<string> Lines(string sweepId, SweepSnapshot snapshot, DateTimeOffset now)
    {
        var table = new TextTable(4);
        foreach (var run in snapshot.Runs.OrderBy(r => r.StartedAt).ThenBy(r => r.Recipe, StringComparer.Ordinal))
            table.Row(
                run.Attempt == 0 ? run.Recipe : $"{run.Recipe} (isolation re-run {run.Attempt} of {run.Attempts})",
                run.Stage ?? NoStageYet,
                run.StageSince is { } since ? "for " + StatusReport.Ago(now - since) : "",
                "running " + StatusReport.Ago(now - run.StartedAt));
        return [$"Sweep {sweepId}: {snapshot.Counts}", .. table.Lines()];
    }
}
