using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Bench;

/// <summary>One judged repetition, with swarm's truth beside it.</summary>
public sealed record BenchSample(string Judge, string Scenario, int Repetition, string Expected, string Verdict, bool Right,
    string? Why, double? LagSeconds, DateTimeOffset ChangedAt, DateTimeOffset DecidedAt, DateTimeOffset? SwarmAt, string Detail);

/// <summary>
/// Runs every scenario for every judge, <c>repeat</c> times, on the local swarm. Each judge gets a
/// fresh stack per scenario; a repetition is one change, judged, then checked against swarm's own
/// record, and left to settle before the next one.
/// </summary>
public sealed class BenchRunner(DockerCli docker, string workDirectory, TimeProvider time, Action<string> say)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TruthWait = TimeSpan.FromSeconds(90);
    private readonly string _prefix = $"bench-{Guid.NewGuid():N}"[..12];

    public async Task<List<BenchSample>> RunAsync(IReadOnlyList<IBenchJudge> judges, int repeat, CancellationToken ct)
    {
        Directory.CreateDirectory(workDirectory);
        var compose = Path.Combine(workDirectory, "compose.yml");
        await File.WriteAllTextAsync(compose, BenchScenario.Compose, ct);
        await using var truth = new SwarmEventLog(docker, _prefix, time);
        var samples = new List<BenchSample>();
        foreach (var scenario in BenchScenario.All)
            for (var j = 0; j < judges.Count; j++)
            {
                await using var stack = new BenchStack(docker, $"{_prefix}-{(int)scenario.Kind}{j}", compose, time);
                await SetUpAsync(stack, scenario, truth, ct);
                for (var rep = 1; rep <= repeat; rep++)
                {
                    var sample = await RepeatAsync(stack, scenario, judges[j], rep, truth, ct);
                    samples.Add(sample);
                    say($"{judges[j].Name,-28} {scenario.Name,-13} #{rep,-3} {sample.Verdict,-11} {(sample.Right ? "right" : "WRONG: " + sample.Why),-40} lag {sample.LagSeconds:0.000}s");
                }
            }
        return samples;
    }

    private static readonly BenchAppSpec Base = new("base", Healthy: true, Stamp: "base");

    /// <summary>Deploys the stack and, for the stale scenario, leaves rollback_completed on app from a failed update.</summary>
    private async Task SetUpAsync(BenchStack stack, BenchScenario scenario, SwarmEventLog truth, CancellationToken ct)
    {
        await stack.DeployAsync(Base, detach: true, ct);
        await stack.SettleAsync("app", ct);
        await stack.SettleAsync("web", ct);
        if (scenario.Kind != BenchScenarioKind.StaleStatus) return;
        var since = time.GetUtcNow();
        await stack.DeployAsync(Base with { Version = "broken", Healthy = false }, detach: true, ct);
        if (await truth.TransitionAsync(stack.Service("app"), UpdateState.RollbackCompleted, since, TruthWait, ct) is null)
            throw new InvalidOperationException($"{stack.Service("app")} did not roll back while setting up the stale status");
        await stack.SettleAsync("app", ct);
    }

    private static BenchChange ChangeFor(BenchScenario scenario, int rep) => scenario.Kind switch
    {
        BenchScenarioKind.GreenUpdate => new(Base with { Version = $"green-{rep}" }),
        BenchScenarioKind.Rollback => new(Base with { Version = $"bad-{rep}", Healthy = false }),
        BenchScenarioKind.StaleStatus => new(Base, "web", $"web-{rep}"),
        _ => new(Base with { Stamp = $"label-{rep}" }),
    };

    private async Task<BenchSample> RepeatAsync(BenchStack stack, BenchScenario scenario, IBenchJudge judge, int rep, SwarmEventLog truth, CancellationToken ct)
    {
        var service = stack.Service(scenario.Service);
        var changedAt = time.GetUtcNow();
        var decision = await judge.ChangeAndJudgeAsync(stack, ChangeFor(scenario, rep), Budget, ct);

        // Swarm's own time of the transition that makes the expected verdict true.
        var swarmAt = scenario.Kind switch
        {
            BenchScenarioKind.Rollback => await truth.TransitionAsync(service, UpdateState.RollbackStarted, changedAt, TruthWait, ct),
            BenchScenarioKind.LabelOnly => (await docker.ServiceAsync(service, ct))?.UpdatedAt,
            _ => await truth.TransitionAsync(service, UpdateState.Completed, changedAt, TruthWait, ct),
        };
        if (scenario.Kind == BenchScenarioKind.Rollback)
            await truth.TransitionAsync(service, UpdateState.RollbackCompleted, changedAt, TruthWait, ct);
        await stack.SettleAsync(scenario.Service, ct);

        string? why = null;
        if (swarmAt is null) why = "swarm never made the change";
        else if (decision.Verdict != scenario.Expected) why = $"said {decision.Verdict}";
        else if (decision.Verdict == "converged" && await stack.NewSpecRunningSinceAsync(scenario.Service, ct) is { } since && decision.DecidedAt < since)
            why = "premature: decided before any task of the new spec ran";
        var lag = swarmAt is { } t ? (decision.DecidedAt - t).TotalSeconds : (double?)null;
        return new BenchSample(judge.Name, scenario.Name, rep, scenario.Expected, decision.Verdict, why is null, why, lag,
            changedAt, decision.DecidedAt, swarmAt, decision.Detail);
    }
}
