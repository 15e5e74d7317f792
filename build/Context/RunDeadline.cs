using System.Runtime.InteropServices;

namespace RecipeCi.Context;

/// <summary>Why a run was asked to stop before its end, and the exit code that says so.</summary>
public sealed record RunStop(string Reason, int ExitCode)
{
    /// <summary>SIGTERM (Drone's cancel) and SIGINT (Ctrl-C) exit with 128 + their number: 143 and 130.</summary>
    public static RunStop BySignal(PosixSignal signal) =>
        signal == PosixSignal.SIGTERM ? new("SIGTERM", 128 + 15) : new("SIGINT", 128 + 2);
}

/// <summary>
/// A hard limit on the wall-clock time of a recipe run, counted from its first stage, waits for the
/// app-domain lock and for resources included. When it passes, the run stops as on SIGTERM
/// (the current stage ends interrupted, the rest are unverified, teardown runs with its own
/// budget) but exits with 142 = 128 + SIGALRM, the code cc-ci's alarm-based deadline gave, so a
/// pipeline tells "took too long" from "was cancelled" (143).
/// </summary>
public sealed class RunDeadline : IDisposable
{
    public const int ExitCode = 142;
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    private readonly ITimer _timer;

    public TimeSpan Limit { get; }

    public RunDeadline(TimeSpan limit, Action<RunStop> stop, TimeProvider clock)
    {
        Limit = limit;
        _timer = clock.CreateTimer(_ => stop(Expired), null, limit, Timeout.InfiniteTimeSpan);
    }

    public RunStop Expired => new($"deadline: the run's limit of {Limit.TotalMinutes:0.##} min (--deadline) passed", ExitCode);

    public void Dispose() => _timer.Dispose();
}
