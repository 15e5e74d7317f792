using RecipeCi.Swarm;

namespace RecipeCi.Bench;

/// <summary>This harness: a detached change, then <see cref="ConvergenceWatcher"/> against a snapshot taken before it.</summary>
public sealed class WatcherJudge(ConvergenceWatcher watcher, TimeProvider time) : IBenchJudge
{
    public string Name => "recipe-ci watcher";
    public string Description => "docker events + 1 s poll fallback, current-spec tasks, snapshot-scoped UpdateStatus";

    public async Task<JudgeDecision> ChangeAndJudgeAsync(BenchStack stack, BenchChange change, TimeSpan budget, CancellationToken ct)
    {
        var before = await StackSnapshot.CaptureAsync(stack.Docker, stack.Name, time, ct);
        await change.MakeAsync(stack, detach: true, ct);
        var labels = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["app"] = new Dictionary<string, string> { ["bench.stamp"] = change.App.Stamp },
        };
        var verdict = await watcher.WaitAsync(new ConvergenceRequest(stack.Name, ["app", "web"], budget) { Before = before, Labels = labels }, ct);
        var text = verdict.Outcome switch
        {
            ConvergenceOutcome.Converged => "converged",
            ConvergenceOutcome.RolledBack => "rolled_back",
            ConvergenceOutcome.Paused => "paused",
            ConvergenceOutcome.TimedOut => "timed_out",
            _ => "failed",
        };
        return new JudgeDecision(text, verdict.DecidedAt, verdict.Summary);
    }
}
