using RecipeCi.Processes;

namespace RecipeCi.Tests.Support;

public static class Eventually
{
    /// <summary>Waits until the condition holds (the product's own poll); fails naming what never happened.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? context = null)
    {
        if (!await Poll.UntilAsync(new PollPlan(TimeSpan.FromMilliseconds(250), timeout), TimeProvider.System, condition, null, CancellationToken.None))
            Assert.Fail($"never happened within {timeout.TotalSeconds:0}s: {what}\n{context?.Invoke()}");
    }
}
