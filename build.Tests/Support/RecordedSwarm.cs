using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Swarm as recorded, for the watcher: each look gives the next recorded observation (the last one
/// again once they ran out, as a swarm that stays put), noting when on <paramref name="clock"/> it
/// was asked; events arrive when the test sends them.
/// </summary>
public sealed class RecordedSwarm(IReadOnlyList<SwarmObservation> looks, TimeProvider clock) : IStackObserver, IStackEvents
{
    private readonly Channel<DockerEvent> _events = Channel.CreateUnbounded<DockerEvent>();
    private readonly List<DateTimeOffset> _lookedAt = [];

    /// <summary>When each look was made, on the test's clock.</summary>
    public IReadOnlyList<DateTimeOffset> LookedAt
    {
        get { lock (_lookedAt) return [.. _lookedAt]; }
    }

    /// <summary>Set once the watcher stopped listening for events.</summary>
    public bool StoppedListening { get; private set; }

    public Task<SwarmObservation> ObserveAsync(ConvergenceRequest request, CancellationToken ct)
    {
        lock (_lookedAt)
        {
            _lookedAt.Add(clock.GetUtcNow());
            return Task.FromResult(looks[Math.Min(_lookedAt.Count, looks.Count) - 1]);
        }
    }

    public async IAsyncEnumerable<DockerEvent> ListenAsync(ConvergenceRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(ct))
                yield return e;
        }
        finally
        {
            StoppedListening = true;
        }
    }

    public void Send(DockerEvent e) => _events.Writer.TryWrite(e);
}
