using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Results;

namespace RecipeCi.Sweeps;

/// <summary>
/// The harness's own share of a recipe's wall time: the process's wall time minus the union of
/// every external command (docker, abra, git, as each stage's <c>stage.json</c> records them) and
/// every stage marked a wait on swarm (<c>waits_on_swarm</c>: the convergence and health waits, see
/// their <c>convergence.json</c>) and Teardown (which waits for swarm to remove the stack), and the
/// admission wait (results.json <c>admission</c>: waiting for the machine's room is not the
/// harness's work, and another run's reservation can make it long).
/// Intervals are merged, so overlapping commands count once.
/// </summary>
public sealed class HarnessOverhead(string runDirectory)
{
    public double Measure(RunResult result, DateTimeOffset processStart, TimeSpan wall)
    {
        var busy = new List<(DateTimeOffset From, DateTimeOffset To)>();
        if (result.Admission is { } admission) busy.Add((admission.StartedAt, admission.StartedAt.AddSeconds(admission.WaitedS)));
        foreach (var stage in result.Stages)
        {
            if (stage.WaitsOnSwarm)
            {
                busy.Add((stage.StartedAt, stage.StartedAt.AddSeconds(stage.DurationS)));
                continue;
            }
            var file = Path.Combine(runDirectory, stage.Folder, StageRecorder.FileName);
            if (!File.Exists(file)) continue;
            busy.AddRange(JsonConvention.Read<StageFile>(file).Commands.Select(c => (c.StartedAt, c.StartedAt.AddSeconds(c.DurationS))));
        }
        return Math.Round(Math.Max(0, wall.TotalSeconds - Covered(busy, processStart, processStart + wall)), 3);
    }

    /// <summary>Seconds of [from, to] covered by at least one interval.</summary>
    internal static double Covered(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> intervals, DateTimeOffset from, DateTimeOffset to)
    {
        var total = 0.0;
        var end = from;
        foreach (var (a, b) in intervals.Select(i => (From: i.From < from ? from : i.From, To: i.To > to ? to : i.To))
                     .Where(i => i.To > i.From).OrderBy(i => i.From))
        {
            var start = a > end ? a : end;
            if (b > start) { total += (b - start).TotalSeconds; end = b; }
        }
        return total;
    }
}
