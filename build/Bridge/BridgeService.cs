namespace RecipeCi.Bridge;

/// <summary>
/// The bridge's loop: poll every <c>--poll</c> seconds; a webhook delivery that brought a trigger
/// wakes it to handle that trigger at once. Runs until stopped (SIGTERM, SIGINT). A failure of one
/// round is said and the next round still comes.
/// </summary>
public sealed class BridgeService(CommentBridge bridge, TimeSpan poll, Action<string> say)
{
    private readonly SemaphoreSlim _wake = new(0);

    public void Wake() => _wake.Release();

    public async Task RunAsync(CancellationToken ct)
    {
        var next = DateTimeOffset.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (DateTimeOffset.UtcNow >= next)
                {
                    await bridge.PollAsync(ct);
                    next = DateTimeOffset.UtcNow + poll;
                }
                else
                {
                    await bridge.AdvanceAsync(ct);
                }
                var wait = next - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero) await _wake.WaitAsync(wait, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException)
            {
                say($"bridge: this round failed ({ex.GetType().Name}: {ex.Message}); the next comes in {poll.TotalSeconds:0}s");
                next = DateTimeOffset.UtcNow + poll;
            }
        }
    }
}
