namespace RecipeCi.Processes;

/// <summary>How a poll goes: how often it looks, how long it may take, how often it says it still waits.</summary>
public sealed record PollPlan(TimeSpan Interval, TimeSpan Budget)
{
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Say so right after the first miss too (a wait a person should know about at once, like a held lock).</summary>
    public bool SayAtOnce { get; init; }
}

/// <summary>The one polling loop: look, and if nothing yet, say so now and then, nap, and look again.</summary>
public static class Poll
{
    /// <summary>
    /// Looks until <paramref name="look"/> gives a value, or gives null once the budget is spent on
    /// <paramref name="time"/>. <paramref name="waiting"/> hears how long it has waited, at most every
    /// <see cref="PollPlan.ProgressEvery"/>.
    /// </summary>
    public static async Task<T?> UntilAsync<T>(PollPlan plan, TimeProvider time, Func<Task<T?>> look, Action<TimeSpan>? waiting, CancellationToken ct) where T : class
    {
        var start = time.GetTimestamp();
        TimeSpan? lastSaid = plan.SayAtOnce ? null : TimeSpan.Zero;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (await look() is { } found) return found;
            var waited = time.GetElapsedTime(start);
            if (waited >= plan.Budget) return null;
            if (waiting is not null && (lastSaid is null || waited - lastSaid >= plan.ProgressEvery))
            {
                lastSaid = waited;
                waiting(waited);
            }
            var left = plan.Budget - waited;
            await Task.Delay(left < plan.Interval ? left : plan.Interval, time, ct);
        }
    }

    /// <summary>Looks until <paramref name="done"/> holds; false once the budget is spent.</summary>
    public static async Task<bool> UntilAsync(PollPlan plan, TimeProvider time, Func<Task<bool>> done, Action<TimeSpan>? waiting, CancellationToken ct) =>
        await UntilAsync(plan, time, async () => await done() ? Done : null, waiting, ct) is not null;

    private static readonly object Done = new();
}
