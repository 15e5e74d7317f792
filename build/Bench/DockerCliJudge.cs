using RecipeCi.Processes;

namespace RecipeCi.Bench;

/// <summary>
/// The docker CLI on this machine: the change made with <c>--detach=false</c> (200 ms polls, then a
/// monitor window); exit 0 is its "converged", anything else its failure. It has no timeout of its
/// own, so the budget stops it.
/// </summary>
public sealed class DockerCliJudge(TimeProvider time) : IBenchJudge
{
    public string Name => "docker CLI --detach=false";
    public string Description => "docker stack deploy --detach=false (docker service update --detach=false for a one-service change)";

    public async Task<JudgeDecision> ChangeAndJudgeAsync(BenchStack stack, BenchChange change, TimeSpan budget, CancellationToken ct)
    {
        using var spent = new CancellationTokenSource(budget, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, spent.Token);
        try
        {
            var r = await change.MakeAsync(stack, detach: false, limit.Token, check: false);
            var last = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return new JudgeDecision(r.ExitCode == 0 ? "converged" : "failed", time.GetUtcNow(), $"exit {r.ExitCode}: {last}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new JudgeDecision("timed_out", time.GetUtcNow(), $"still waiting after {budget.TotalSeconds:0}s");
        }
    }
}
