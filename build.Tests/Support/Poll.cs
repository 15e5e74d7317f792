namespace RecipeCi.Tests.Support;

public static class Poll
{
    /// <summary>Waits until the condition holds; fails naming what never happened.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? context = null)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > until) Assert.Fail($"never happened within {timeout.TotalSeconds:0}s: {what}\n{context?.Invoke()}");
            await Task.Delay(250);
        }
    }
}
