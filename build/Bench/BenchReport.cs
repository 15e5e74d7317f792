using System.Text;
using Newtonsoft.Json;

using RecipeCi.Files;

namespace RecipeCi.Bench;

/// <summary>One row of the table: a judge on a scenario.</summary>
public sealed record BenchRow(string Judge, string Scenario, int Right, int Wrong, double? LagMedianS, double? LagP95S, IReadOnlyList<string> WrongBecause);

/// <summary>The benchmark's table (printed, and written as JSON and Markdown), and whether the goals were met.</summary>
public sealed class BenchReport(IReadOnlyList<IBenchJudge> judges, IReadOnlyList<BenchSample> samples, int repeat, int background, DateTimeOffset startedAt)
{
    public const double LagGoalSeconds = 0.5;

    /// <summary>Lag is over the right verdicts only: a fast wrong answer is not detection.</summary>
    public IReadOnlyList<BenchRow> Rows { get; } = judges.SelectMany(j => BenchScenario.All.Select(s =>
    {
        var mine = samples.Where(x => x.Judge == j.Name && x.Scenario == s.Name).ToList();
        var lags = mine.Where(x => x.Right && x.LagSeconds is not null).Select(x => x.LagSeconds!.Value).Order().ToList();
        return new BenchRow(j.Name, s.Name, mine.Count(x => x.Right), mine.Count(x => !x.Right),
            Percentile(lags, 0.50), Percentile(lags, 0.95),
            mine.Where(x => !x.Right).GroupBy(x => x.Why).Select(g => $"{g.Count()}x {g.Key}").ToList());
    })).ToList();

    /// <summary>Nearest-rank percentile.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public bool GoalsMet(string judge) => Rows.Where(r => r.Judge == judge).All(r => r.Wrong == 0 && r.LagP95S <= LagGoalSeconds);

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# Convergence benchmark, {startedAt:yyyy-MM-dd HH:mm} UTC, {repeat} repetitions per judge and scenario, {background} background upgrades");
        md.AppendLine();
        md.AppendLine($"Goals: the right verdict in every repetition; detection lag p95 <= {LagGoalSeconds} s. Lag = when the judge");
        md.AppendLine("decided minus swarm's own timestamp of the change (service events: UpdatedAt of `completed` /");
        md.AppendLine("`rollback_started`; the service's UpdatedAt for a label change), over the right verdicts only.");
        md.AppendLine("A `converged` said before any task of the new spec ran is premature, hence wrong.");
        md.AppendLine();
        md.AppendLine("| judge | scenario | right | wrong | lag median (s) | lag p95 (s) | why wrong |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var r in Rows)
            md.AppendLine($"| {r.Judge} | {r.Scenario} | {r.Right} | {r.Wrong} | {Seconds(r.LagMedianS)} | {Seconds(r.LagP95S)} | {string.Join("; ", r.WrongBecause)} |");
        md.AppendLine();
        md.AppendLine("Judges:");
        foreach (var j in judges) md.AppendLine($"- **{j.Name}**: {j.Description}");
        md.AppendLine();
        md.AppendLine("Scenarios:");
        foreach (var s in BenchScenario.All) md.AppendLine($"- **{s.Name}** (right: `{s.Expected}`): {s.Description}");
        return md.ToString();
    }

    private static string Seconds(double? s) => s is { } v ? v.ToString("0.000") : "-";

    public (string Json, string Markdown) Write(string directory)
    {
        var json = Path.Combine(directory, "bench.json");
        var md = Path.Combine(directory, "bench.md");
        ArtifactWriter.NoSecrets.WriteJson(json, new
        {
            schema = 1, started_at = startedAt, repeat, background, lag_goal_s = LagGoalSeconds,
            judges = judges.Select(j => new { j.Name, j.Description }),
            scenarios = BenchScenario.All.Select(s => new { s.Name, s.Expected, s.Description }),
            rows = Rows, samples,
        });
        ArtifactWriter.NoSecrets.Write(md, Markdown());
        return (json, md);
    }
}
