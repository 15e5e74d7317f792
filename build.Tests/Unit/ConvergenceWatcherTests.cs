using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// Whole convergence waits on a fake clock, over looks recorded on the real swarm
/// (build.Tests/Fixtures/Observations): the budget, the poll, the progress lines, the events that
/// wake the judge, the follow-up after a decision and cancellation, each at exact times.
/// </summary>
public sealed class ConvergenceWatcherTests
{
    private sealed record Replay(ObservationFixture Fixture, SteppedClock Clock, RecordedSwarm Swarm)
    {
        public DateTimeOffset Start { get; } = Clock.GetUtcNow();

        /// <summary>How long after the wait began, on the fake clock, each look was made.</summary>
        public IEnumerable<double> LookSeconds => Swarm.LookedAt.Select(at => (at - Start).TotalSeconds);

        public double Seconds(DateTimeOffset at) => (at - Start).TotalSeconds;
    }

    /// <summary>The fixture's looks, then <paramref name="after"/> made of its last one.</summary>
    private static Replay Recorded(string scenario, params Func<SwarmObservation, SwarmObservation>[] after)
    {
        var fixture = ObservationFixture.Load(scenario);
        var looks = fixture.Observations.Concat(after.Select(f => f(fixture.Observations[^1]))).ToList();
        var clock = new SteppedClock(fixture.Observations[0].ObservedAt);
        return new Replay(fixture, clock, new RecordedSwarm(looks, clock));
    }

    private static ConvergenceWatcher Watcher(Replay r, Action<string>? progress = null, TimeSpan? poll = null) =>
        new(r.Swarm, r.Swarm, r.Clock) { Progress = progress, PollInterval = poll ?? TimeSpan.FromSeconds(1) };

    /// <summary>Swarm has stopped the old tasks it was told to stop.</summary>
    private static SwarmObservation OldTasksStopped(SwarmObservation look) => look with
    {
        Tasks = [.. look.Tasks.Select(t => t.DesiredState.Kind != TaskState.Shutdown ? t : new TaskInfo
        {
            ID = t.ID, ServiceID = t.ServiceID, Slot = t.Slot, DesiredState = t.DesiredState, CreatedAt = t.CreatedAt,
            Status = new RecipeCi.Swarm.TaskStatus { State = TaskState.Shutdown, Timestamp = t.Status.Timestamp },
        })],
    };

    /// <summary>Swarm has finished rolling back.</summary>
    private static SwarmObservation RollbackCompleted(SwarmObservation look) => look with
    {
        Services = [.. look.Services.Select(s => s.UpdateStatus?.State?.Kind != UpdateState.RollbackStarted ? s : s with
        {
            UpdateStatus = new UpdateStatus { State = UpdateState.RollbackCompleted, StartedAt = s.UpdateStatus.StartedAt, Message = "rollback completed" },
        })],
    };

    [Fact]
    public async Task Converged_is_decided_on_the_first_converged_look_and_the_old_task_is_followed_until_it_stopped()
    {
        var r = Recorded("green-update", OldTasksStopped);
        var seen = new List<SwarmObservation>();
        var watcher = new ConvergenceWatcher(r.Swarm, r.Swarm, r.Clock) { Observed = seen.Add };

        var verdict = await r.Clock.RunOutAsync(watcher.WaitAsync(r.Fixture.Request, CancellationToken.None));

        Assert.Equal(ConvergenceOutcome.Converged, verdict.Outcome);
        Assert.Equal(7, verdict.Evaluations);                      // the seventh recorded look was the first converged one
        Assert.Equal(6, r.Seconds(verdict.DecidedAt));             // one poll interval after the other
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], r.LookSeconds);     // then one more look, which found the old task stopped
        Assert.Equal(8, seen.Count);
        Assert.True(r.Swarm.StoppedListening);
    }

    [Fact]
    public async Task A_wait_that_never_converges_ends_at_its_budget()
    {
        var r = Recorded("timed-out");
        var verdict = await r.Clock.RunOutAsync(Watcher(r).WaitAsync(r.Fixture.Request, CancellationToken.None));

        Assert.Equal(ConvergenceOutcome.TimedOut, verdict.Outcome);
        Assert.Equal(r.Fixture.Budget.TotalSeconds, r.Seconds(verdict.DecidedAt));
        Assert.Equal(Enumerable.Range(0, 21).Select(s => (double)s), r.LookSeconds);
        Assert.StartsWith("not converged after 20s, still pending: app: ", verdict.Summary);
        Assert.Null(verdict.SwarmChangedAt);
    }

    [Fact]
    public async Task A_rollback_is_decided_at_its_start_and_followed_until_swarm_completed_it()
    {
        var r = Recorded("rollback", look => look, RollbackCompleted);
        var seen = new List<SwarmObservation>();
        var watcher = new ConvergenceWatcher(r.Swarm, r.Swarm, r.Clock) { Observed = seen.Add };

        var verdict = await r.Clock.RunOutAsync(watcher.WaitAsync(r.Fixture.Request, CancellationToken.None));

        Assert.Equal(ConvergenceOutcome.RolledBack, verdict.Outcome);
        Assert.Equal(9, r.Seconds(verdict.DecidedAt));             // the decision stands at rollback_started
        Assert.Equal(10, verdict.Evaluations);
        Assert.Equal(Enumerable.Range(0, 12).Select(s => (double)s), r.LookSeconds);
        Assert.Equal(UpdateState.RollbackCompleted, seen[^1].Services.Single().UpdateStatus?.State?.Kind);
    }

    [Fact]
    public async Task A_rollback_that_does_not_complete_is_followed_for_the_settle_time_only()
    {
        var r = Recorded("rollback");
        var watcher = new ConvergenceWatcher(r.Swarm, r.Swarm, r.Clock) { Settle = TimeSpan.FromSeconds(15) };

        var verdict = await r.Clock.RunOutAsync(watcher.WaitAsync(r.Fixture.Request, CancellationToken.None));

        Assert.Equal(ConvergenceOutcome.RolledBack, verdict.Outcome);
        Assert.Equal(9, r.Seconds(verdict.DecidedAt));
        Assert.Equal(9 + 15, r.LookSeconds.Last());
        Assert.Equal(25, r.LookSeconds.Count());
    }

    [Fact]
    public async Task Progress_is_said_every_progress_interval_of_the_clock()
    {
        var r = Recorded("timed-out");
        var said = new List<(double At, string Line)>();
        var watcher = new ConvergenceWatcher(r.Swarm, r.Swarm, r.Clock)
        {
            ProgressInterval = TimeSpan.FromSeconds(5),
            Progress = line => said.Add((r.Seconds(r.Clock.GetUtcNow()), line)),
        };

        await r.Clock.RunOutAsync(watcher.WaitAsync(r.Fixture.Request, CancellationToken.None));

        Assert.Equal([5, 10, 15], said.Select(s => s.At));         // at 20 s the budget is spent: a verdict, not progress
        Assert.StartsWith($"waiting for {r.Fixture.Stack} (5s of 20s): app: ", said[0].Line);
        Assert.StartsWith($"waiting for {r.Fixture.Stack} (15s of 20s): app: ", said[2].Line);
    }

    [Fact]
    public async Task An_event_about_the_stack_wakes_the_judge_before_the_poll_interval()
    {
        var r = Recorded("green-update", OldTasksStopped);
        var wait = Watcher(r, poll: TimeSpan.FromSeconds(10)).WaitAsync(r.Fixture.Request, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(10), await r.Clock.NextWaitAsync(wait));
        r.Clock.Advance(TimeSpan.FromSeconds(2));
        r.Swarm.Send(new DockerEvent { Type = "service", Action = "update" });
        Assert.Equal(TimeSpan.FromSeconds(10), await r.Clock.NextWaitAsync(wait));
        Assert.Equal([0, 2], r.LookSeconds);

        r.Clock.Advance(TimeSpan.FromSeconds(10));
        var verdict = await r.Clock.RunOutAsync(wait);
        Assert.Equal(1, verdict.EventsSeen);
        Assert.Equal(52, r.Seconds(verdict.DecidedAt));            // the other looks kept the 10 s poll
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_and_its_listening_at_once()
    {
        var r = Recorded("timed-out");
        using var cancel = new CancellationTokenSource();
        var wait = Watcher(r).WaitAsync(r.Fixture.Request, cancel.Token);
        Assert.NotNull(await r.Clock.NextWaitAsync(wait));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));   // real time: no fake time passes
        Assert.Single(r.Swarm.LookedAt);
        Assert.True(r.Swarm.StoppedListening);
    }
}
