using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>What the watcher still waits for after its decision, from looks recorded on the real swarm.</summary>
public sealed class WatcherSettleTests
{
    private static SwarmObservation Decided(string scenario) => ObservationFixture.Load(scenario).Observations[^1];

    [Fact]
    public void A_rollback_in_progress_is_followed_and_a_finished_one_is_not()
    {
        Assert.True(ConvergenceWatcher.Settling(Decided("rollback")));
        Assert.False(ConvergenceWatcher.Settling(Decided("rollback-completed")));
    }

    [Fact]
    public void An_old_task_told_to_stop_that_still_runs_is_followed_until_it_stopped()
    {
        var look = Decided("green-update");
        var old = look.Tasks.First(t => !look.CurrentSpecTasks.Contains(t.ID));
        SwarmObservation With(TaskState state) => look with
        {
            Tasks = [.. look.Tasks.Select(t => t.ID != old.ID ? t : new TaskInfo
            {
                ID = t.ID, ServiceID = t.ServiceID, Slot = t.Slot, DesiredState = TaskState.Shutdown, CreatedAt = t.CreatedAt,
                Status = new RecipeCi.Swarm.TaskStatus { State = state, Timestamp = t.Status.Timestamp },
            })],
            Services = [.. look.Services.Select(s => s with { UpdateStatus = null })],
        };
        Assert.True(ConvergenceWatcher.Settling(With(TaskState.Running)));
        Assert.False(ConvergenceWatcher.Settling(With(TaskState.Shutdown)));
    }
}
