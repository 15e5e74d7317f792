using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

// Convergence rules the other scenario tests do not reach, on real stacks; with
// RECIPE_CI_RECORD_OBSERVATIONS=1 each keeps its looks as a replay fixture.

public sealed class UpdateOutcomeTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Deploys <paramref name="v1"/>, waits until it runs, then judges the deploy of <paramref name="v2"/>
    /// (from when <paramref name="watchFrom"/>, if given, has finished).
    /// </summary>
    private static async Task<ConvergenceVerdict> UpdateAsync(ScratchStack stack, ScratchService v1, ScratchService v2, string record,
        Func<Task>? watchFrom = null)
    {
        await stack.DeployAsync(v1);
        await stack.UntilAsync(v1.Name, ScratchStack.Running);
        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(v2);
        if (watchFrom is not null) await watchFrom();
        return await stack.WatchAsync(stack.Request(Budget, v1.Name) with { Before = before }, record);
    }

    [Fact]
    public async Task Healthy_new_task_whose_update_completed_is_converged()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app") { Check = "true" };
        var verdict = await UpdateAsync(stack, app, app with { Version = "2" }, "green-update");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.Equal(UpdateState.Completed, verdict.Services.Single().UpdateState?.Kind);
    }

    [Fact]
    public async Task New_task_failing_its_healthcheck_is_rolled_back()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        var verdict = await UpdateAsync(stack, app, app with { Version = "2", Healthy = false }, "rollback");

        Assert.True(verdict.Outcome == ConvergenceOutcome.RolledBack, verdict.Summary);
        Assert.StartsWith("app: swarm rollback", verdict.Summary);
    }

    [Fact]
    public async Task Rollback_finished_before_the_first_look_is_dated_by_its_completion()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        ServiceInfo? rolledBack = null;
        var verdict = await UpdateAsync(stack, app, app with { Version = "2", Healthy = false }, "rollback-completed",
            async () => rolledBack = await stack.UntilAsync("app", (s, _) => s.UpdateStatus?.State?.Kind == UpdateState.RollbackCompleted));

        Assert.True(verdict.Outcome == ConvergenceOutcome.RolledBack, verdict.Summary);
        Assert.Equal(rolledBack!.UpdateStatus!.CompletedAt, verdict.SwarmChangedAt);
    }

    [Fact]
    public async Task New_task_healthy_then_dying_inside_the_monitor_is_rolled_back_never_converged()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app") { Check = "true" };
        // Healthy within a second, dead after four: inside the 15 s monitor swarm watches it for.
        var verdict = await UpdateAsync(stack, app, app with { Version = "2", Monitor = "15s", Script = "sleep 4; exit 1" }, "healthy-then-dies");

        Assert.True(verdict.Outcome == ConvergenceOutcome.RolledBack, verdict.Summary);
        Assert.Equal(FailureCategory.ExitCode, verdict.Services.Single().Category);
    }

    [Fact]
    public async Task Task_exiting_137_over_and_over_fails_early_as_killed()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var before = await stack.SnapshotAsync();
        // The status a SIGKILL leaves (a container's init cannot kill itself with it). Each task runs
        // 3 s, less than the 10 s it must last to count without a healthcheck: it never serves.
        await stack.DeployAsync(new ScratchService("app") { Script = "sleep 3; exit 137", Monitor = "10s" });
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(10), "app") with { Before = before }, "exit-137");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Failed, verdict.Summary);
        Assert.Equal(FailureCategory.Killed, verdict.Services.Single().Category);
        Assert.Contains("exit code 137", verdict.Services.Single().TaskError);
    }
}

/// <summary>
/// A one-shot job whose new task ends inside the update monitor: swarm pauses the update for it
/// (failure_action pause, compose's default), whether it exited 0 or not.
/// </summary>
public sealed class OneShotUpdateTests
{
    private static async Task<ConvergenceVerdict> UpdateJobAsync(ScratchStack stack, string script, string record)
    {
        // app's update outlasts the job's pause (10 s monitor): the verdict must wait for it.
        var app = new ScratchService("app") { Check = "true", Monitor = "10s" };
        var job = new ScratchService("job") { Restart = "none", FailureAction = "pause", Monitor = "5s", Script = "echo migrated" };
        await stack.DeployAsync(app, job);
        await stack.UntilAsync("app", ScratchStack.Running);
        await stack.UntilAsync("job", (_, tasks) => tasks.Any(t => t.Status.State.Kind == TaskState.Complete));

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(app with { Version = "2" }, job with { Version = "2", Script = script });
        return await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(3), "app", "job") with { Before = before }, record);
    }

    [Fact]
    public async Task Job_that_completed_with_exit_0_inside_the_monitor_is_converged_though_swarm_paused_the_update()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var verdict = await UpdateJobAsync(stack, "sleep 1; echo migrated", "one-shot-paused");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        var job = (await stack.Docker.ServiceAsync(stack.Service("job"), CancellationToken.None))!;
        Assert.Equal(UpdateState.Paused, job.UpdateStatus?.State?.Kind);                    // swarm really paused it
        Assert.Equal(UpdateState.Completed, verdict.Services.Single(s => s.Service == "app").UpdateState?.Kind);   // and app was waited for
    }

    [Fact]
    public async Task Job_that_exited_non_zero_is_failed_naming_it_and_its_exit_code()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var verdict = await UpdateJobAsync(stack, "sleep 1; exit 3", "one-shot-exit-code");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Failed, verdict.Summary);
        Assert.Equal(["job"], verdict.Offending.Select(s => s.Service));
        Assert.Contains("exit code 3", verdict.Summary);
    }
}
