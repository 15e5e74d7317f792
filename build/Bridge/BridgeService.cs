namespace RecipeCi.Bridge;

/// <summary>
/// The bridge's loop: poll every <c>--poll</c> seconds; a webhook delivery that brought a trigger
/// wakes it to handle that trigger at once. Runs until stopped (SIGTERM, SIGINT). A failure of one
/// round is said and the next round still comes.
/// </summary>
public sealed class BridgeService(CommentBridge bridge, TimeSpan poll, TimeProvider time, Action<string> say)
{
    private readonly SemaphoreSlim _wake = new(0);

    public void Wake() => _wake.Release();

    public async Task RunAsync(CancellationToken ct)
    {
        var next = time.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= next)
                {
                    await bridge.PollAsync(ct);
                    next = time.GetUtcNow() + poll;
                }
                else
                {
                    await bridge.AdvanceAsync(ct);
                }
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero) await WokenOrDueAsync(wait, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException)
            {
                say($"bridge: this round failed ({ex.GetType().Name}: {ex.Message}); the next comes in {poll.TotalSeconds:0}s");
                next = time.GetUtcNow() + poll;
            }
        }
    }

    /// <summary>Waits until a webhook wakes the loop or <paramref name="wait"/> has passed on the clock, whichever comes first.</summary>
    private async Task WokenOrDueAsync(TimeSpan wait, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var first = await Task.WhenAny(_wake.WaitAsync(either.Token), Task.Delay(wait, time, either.Token));
        // The other wait ends cancelled; a wake it did not take stays counted for the next round.
        await either.CancelAsync();
        await first;
    }
}
