using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A fake clock that says when the code under test starts waiting on it: every timer it creates is
/// announced with its due time, so a test moves time on only while the code waits, and a whole
/// wait of minutes runs in milliseconds.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>How long, in real time, the code may take to reach its next wait.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next wait the code began, or null once <paramref name="code"/> ended without one.</summary>
    public async Task<TimeSpan?> NextWaitAsync(Task code)
    {
        var patience = Task.Delay(Patience);
        while (true)
        {
            if (_armed.Reader.TryRead(out var due)) return due;
            if (code.IsCompleted) return null;
            if (await Task.WhenAny(_armed.Reader.WaitToReadAsync().AsTask(), code, patience) == patience)
                throw new TimeoutException($"the code neither ended nor waited on this clock within {Patience.TotalSeconds}s of real time");
        }
    }

    /// <summary>Lets every wait of <paramref name="code"/> run its full length until it ends.</summary>
    public async Task<T> RunOutAsync<T>(Task<T> code)
    {
        while (await NextWaitAsync(code) is { } due)
            Advance(due);
        return await code;
    }
}
