using RecipeCi.Processes;

namespace RecipeCi.Bench;

/// <summary>What a judge said about one change, and when.</summary>
public sealed record JudgeDecision(string Verdict, DateTimeOffset DecidedAt, string Detail);

/// <summary>The change one repetition makes: a stack deploy of the app's spec, or an update of one service.</summary>
public sealed record BenchChange(BenchAppSpec App, string? UpdatedService = null, string? UpdatedVersion = null)
{
    public Task<CommandResult> MakeAsync(BenchStack stack, bool detach, CancellationToken ct, bool check = true) =>
        UpdatedService is null ? stack.DeployAsync(App, detach, ct, check) : stack.UpdateAsync(UpdatedService, UpdatedVersion!, detach, ct, check);
}

/// <summary>A way of deciding whether a change converged: it makes the change, then judges it.</summary>
public interface IBenchJudge
{
    string Name { get; }
    string Description { get; }
    Task<JudgeDecision> ChangeAndJudgeAsync(BenchStack stack, BenchChange change, TimeSpan budget, CancellationToken ct);
}
