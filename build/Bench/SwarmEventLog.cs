using System.Collections.Concurrent;
using RecipeCi.Swarm;

namespace RecipeCi.Bench;

/// <summary>
/// The benchmark's ground truth: swarm's own service events for the bench stacks, recorded by a
/// listener of its own (not the judges'). A service event's time is swarm's UpdatedAt of the change.
/// </summary>
public sealed class SwarmEventLog : IAsyncDisposable
{
    private readonly ConcurrentQueue<DockerEvent> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listener;
    private readonly TimeProvider _time;

    public SwarmEventLog(DockerCli docker, string namePrefix, TimeProvider time)
    {
        _time = time;
        _listener = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in docker.EventsAsync(["service"], _stop.Token))
                    if (e.Attribute("name")?.StartsWith(namePrefix, StringComparison.Ordinal) == true)
                        _events.Enqueue(e);
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>Swarm's time of the first transition of the service to <paramref name="state"/> at or after <paramref name="since"/>.</summary>
    public async Task<DateTimeOffset?> TransitionAsync(string service, UpdateState state, DateTimeOffset since, TimeSpan wait, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            var hit = _events.FirstOrDefault(e => e.Attribute("name") == service && e.SwarmTime >= since
                && e.Attribute("updatestate.new") is { } word && SwarmState<UpdateState>.Parse(word).Kind == state);
            if (hit is not null) return hit.SwarmTime;
            if (_time.GetUtcNow() > deadline) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener;
        _stop.Dispose();
    }
}
