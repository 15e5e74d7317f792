using RecipeCi.Naming;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

// The watcher's scoping rules, each on a real stack deployed by the test itself.

public sealed class StaleUpdateStatusTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Brings app into <paramref name="state"/> with an update, then changes only web and judges
    /// that change. (A stack deploy resets every service's UpdateStatus, so a stale one survives
    /// only on services a change does not touch, here through <c>docker service update</c>.)
    /// </summary>
    private static async Task<(ConvergenceVerdict Verdict, ServiceInfo AppAfter, StackSnapshot Before)> JudgeWebUpdateAfterAsync(
        ScratchStack stack, ScratchService app, ScratchService earlier, string state, string record)
    {
        var web = new ScratchService("web");
        await stack.DeployAsync(app, web);
        await stack.UntilAsync("app", ScratchStack.Running);
        await stack.DeployAsync(earlier, web);
        await stack.UntilAsync("app", (s, t) => s.UpdateStatus?.State?.Text == state && ScratchStack.Running(s, t));

        var before = await stack.SnapshotAsync();
        await stack.UpdateServiceAsync("web", "--env-add", "V=2");
        var verdict = await stack.WatchAsync(stack.Request(Budget, "app", "web") with { Before = before }, record);
        var appAfter = (await stack.Docker.ServiceAsync(stack.Service("app"), CancellationToken.None))!;
        return (verdict, appAfter, before);
    }

    [Fact]
    public async Task Stale_rollback_completed_of_an_untouched_service_is_ignored()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        var (verdict, appAfter, _) = await JudgeWebUpdateAfterAsync(stack, app, app with { Version = "2", Healthy = false }, "rollback_completed", "stale-rollback-completed");

        Assert.Equal(UpdateState.RollbackCompleted, appAfter.UpdateStatus?.State?.Kind);   // the earlier state really was there
        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.Null(verdict.Services.Single(s => s.Service == "app").UpdateState);
    }

    [Fact]
    public async Task Stale_paused_of_a_service_that_recovered_is_ignored()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app") { FailureAction = "pause" };
        // The first new task fails inside the monitor window, which pauses the update for good; its
        // replacement runs. (A task that fails before it ever ran does not trip the monitor.)
        var flicker = app with
        {
            Version = "2", Shared = true, Monitor = "10s",
            Script = "[ -f /shared/failed-once ] || { touch /shared/failed-once; sleep 2; exit 1; }; " + app.Script,
        };
        var (verdict, appAfter, _) = await JudgeWebUpdateAfterAsync(stack, app, flicker, "paused", "stale-paused");

        Assert.Equal(UpdateState.Paused, appAfter.UpdateStatus?.State?.Kind);
        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
    }

    [Fact]
    public async Task Stale_completed_is_not_taken_for_this_deploy()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        var (verdict, appAfter, before) = await JudgeWebUpdateAfterAsync(stack, app, app with { Version = "2" }, "completed", "stale-completed");

        Assert.Equal(UpdateState.Completed, appAfter.UpdateStatus?.State?.Kind);
        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        var appState = verdict.Services.Single(s => s.Service == "app");
        Assert.Null(appState.UpdateState);       // not reported as this deploy's update
        Assert.Null(appState.SwarmAt);           // and its old completion time is no change of ours
        Assert.True(verdict.SwarmChangedAt > before.TakenAt, $"the lag is measured from web's change, not the earlier update ({verdict.SwarmChangedAt:O})");
    }
}

public sealed class LabelOnlyChangeTests
{
    [Fact]
    public async Task Label_only_change_converges_at_once_and_its_labels_are_checked()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app") { Labels = new Dictionary<string, string> { ["stamp"] = "a" } };
        await stack.DeployAsync(app);
        await stack.UntilAsync("app", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(app with { Labels = new Dictionary<string, string> { ["stamp"] = "b" } });
        var request = stack.Request(TimeSpan.FromMinutes(3), "app") with { Before = before };
        var deployed = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["app"] = new Dictionary<string, string> { ["stamp"] = "b" } };
        var verdict = await stack.WatchAsync(request with { Labels = deployed }, "label-only");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.Equal(1, verdict.Evaluations);                   // no update will come: nothing to wait for
        Assert.NotNull(verdict.DetectionLag);

        // A spec that does not carry what was deployed is not this deploy, and says which label differs.
        var other = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["app"] = new Dictionary<string, string> { ["stamp"] = "c" } };
        var wrong = await stack.WatchAsync(request with { Labels = other }, "label-mismatch");
        Assert.Equal(ConvergenceOutcome.Failed, wrong.Outcome);
        Assert.Contains("stamp=b (deployed: c)", wrong.Summary);
    }
}

public sealed class MixedStackRollbackTests
{
    [Fact]
    public async Task One_service_rolled_back_among_completed_ones_is_rolled_back_naming_it()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        ScratchService[] v1 = [new("app"), new("web"), new("db")];
        await stack.DeployAsync(v1);
        await stack.UntilAsync("web", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(v1[0] with { Version = "2" }, v1[1] with { Version = "2", Healthy = false }, v1[2] with { Version = "2" });
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(3), "app", "web", "db") with { Before = before }, "mixed-rollback");

        Assert.True(verdict.Outcome == ConvergenceOutcome.RolledBack, verdict.Summary);
        Assert.Equal(["web"], verdict.Offending.Select(s => s.Service));
        Assert.StartsWith("web: swarm rollback", verdict.Summary);
        Assert.NotNull(verdict.Offending.Single().TaskError);
        Assert.NotNull(verdict.DetectionLag);
        // Swarm rolls back per service: the others finish their update and the stack stays mixed.
        await stack.UntilAsync("app", (s, _) => s.UpdateStatus?.State?.Kind == UpdateState.Completed);
        await stack.UntilAsync("web", (s, _) => s.UpdateStatus?.State?.Kind == UpdateState.RollbackCompleted);
    }
}

public sealed class OneShotAndScaledToZeroTests
{
    [Fact]
    public async Task One_shot_service_whose_tasks_completed_is_converged()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(new ScratchService("app"), new ScratchService("job") { Restart = "none", Script = "echo migrated" });
        // Judge once the job has finished: a completed one-shot shows 0/1 running, which must
        // not read as "still converging" (a running one-shot counts as running, like a daemon).
        await stack.UntilAsync("job", (_, tasks) => tasks.Any(t => t.Status.State.Kind == TaskState.Complete));
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(3), "app", "job") with { Before = before }, "one-shot");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.StartsWith("one-shot: 1/1 complete", verdict.Services.Single(s => s.Service == "job").Detail);
    }

    [Fact]
    public async Task Service_scaled_to_zero_converges_once_its_tasks_are_gone()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        // Ignores TERM, so its task keeps running for the stop grace period after the scale-down.
        var app = new ScratchService("app") { Script = "trap '' TERM; while true; do sleep 1; done", StopGrace = "4s" };
        await stack.DeployAsync(app);
        await stack.UntilAsync("app", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(app with { Replicas = 0 });
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(3), "app") with { Before = before }, "scaled-to-zero");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.Equal("scaled to 0", verdict.Services.Single().Detail);
        var tasks = await stack.Docker.TasksAsync(stack.Service("app"), upToDate: false, CancellationToken.None);
        Assert.DoesNotContain(tasks, t => t.Status.State.Kind == TaskState.Running);
    }
}

public sealed class RemovedServiceTests
{
    [Fact]
    public async Task Services_the_head_removed_are_not_judged_and_are_pruned()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        // The service the head drops is broken: judging it would fail a head that no longer has it.
        await stack.DeployAsync(app, new ScratchService("legacy") { Healthy = false });
        await stack.UntilAsync("app", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(app with { Version = "2" });     // docker stack deploy leaves legacy running
        Assert.NotNull(await stack.Docker.ServiceAsync(stack.Service("legacy"), CancellationToken.None));
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromMinutes(3), "app") with { Before = before }, "pruned-service");
        var pruned = await new StackResources(stack.Docker, new StackName(stack.Name), TimeProvider.System, _ => { }).PruneUndeclaredAsync(["app"], CancellationToken.None);

        Assert.True(verdict.Outcome == ConvergenceOutcome.Converged, verdict.Summary);
        Assert.Equal([stack.Service("legacy")], pruned);
        Assert.Equal([stack.Service("app")], (await stack.Docker.StackServicesAsync(stack.Name, CancellationToken.None)).Select(s => s.Name));
    }
}

public sealed class UnfinishedUpdateTests
{
    [Fact]
    public async Task Update_still_running_when_the_budget_ends_is_timed_out_with_what_was_pending()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var app = new ScratchService("app");
        await stack.DeployAsync(app);
        await stack.UntilAsync("app", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        // Swarm watches the new task for ten minutes before it calls the update completed.
        await stack.DeployAsync(app with { Version = "2", Monitor = "600s" });
        var verdict = await stack.WatchAsync(stack.Request(TimeSpan.FromSeconds(20), "app") with { Before = before }, "timed-out");

        Assert.Equal(ConvergenceOutcome.TimedOut, verdict.Outcome);
        Assert.Contains("not converged after 20s, still pending: app: ", verdict.Summary);
        Assert.Contains("running on the current spec", verdict.Summary);
        Assert.Contains(", update updating", verdict.Summary);
    }
}

/// <summary>Deploys that cannot succeed end early (well inside a long budget) with the reason.</summary>
public sealed class HopelessDeployTests
{
    private static readonly TimeSpan LongBudget = TimeSpan.FromMinutes(10);

    private static readonly Dictionary<string, ScratchService> Apps = new()
    {
        ["image-missing"] = new("app") { Image = "recipe-ci/not-imported:0" },
        ["no-node"] = new("app") { Constraint = "node.labels.recipe-ci-nowhere==1" },
        ["crash-loop-exit-code"] = new("app") { Script = "exit 3" },
        ["unhealthy"] = new("app") { Healthy = false },
    };

    [Theory]
    [InlineData("image-missing", FailureCategory.ImageMissing, "image missing: ")]
    [InlineData("no-node", FailureCategory.NoSuitableNode, "scheduling constraints not satisfied")]
    [InlineData("crash-loop-exit-code", FailureCategory.ExitCode, "exit code 3")]
    [InlineData("unhealthy", FailureCategory.HealthcheckFailing, "healthcheck failing: ")]
    public async Task First_deploy_that_cannot_succeed_fails_early_and_says_why(string app, FailureCategory category, string says)
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(Apps[app]);
        var verdict = await stack.WatchAsync(stack.Request(LongBudget, "app") with { Before = before }, app);

        Assert.True(verdict.Outcome == ConvergenceOutcome.Failed, verdict.Summary);
        Assert.Equal(category, verdict.Services.Single().Category);
        Assert.Contains(says, verdict.Services.Single().TaskError);
    }
}

/// <summary>A port the new task must publish that something else holds: the wait ends early, as "port already allocated".</summary>
public sealed class PortTakenTests
{
    private static readonly TimeSpan LongBudget = TimeSpan.FromMinutes(10);

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task Host_port_held_by_another_service_is_port_allocated()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        var port = FreePort();
        var holder = new ScratchService("holder") { HostPort = port };
        await stack.DeployAsync(holder);
        await stack.UntilAsync("holder", ScratchStack.Running);

        var before = await stack.SnapshotAsync();
        await stack.DeployAsync(holder, new ScratchService("app") { HostPort = port });
        var verdict = await stack.WatchAsync(stack.Request(LongBudget, "app") with { Before = before }, "port-in-use");

        Assert.True(verdict.Outcome == ConvergenceOutcome.Failed, verdict.Summary);
        Assert.Equal(FailureCategory.PortAllocated, verdict.Services.Single().Category);
        Assert.Contains("port already allocated: ", verdict.Services.Single().TaskError);
        Assert.True(verdict.DecidedAt - verdict.StartedAt < TimeSpan.FromMinutes(2), $"ended early, not at the budget: {verdict.Summary}");
    }

    [Fact]
    public async Task Host_port_held_by_a_process_on_the_host_is_port_allocated()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        // A listener on the loopback address blocks docker's bind of the same port on every address.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var before = await stack.SnapshotAsync();
            await stack.DeployAsync(new ScratchService("app") { HostPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port });
            var verdict = await stack.WatchAsync(stack.Request(LongBudget, "app") with { Before = before });

            Assert.True(verdict.Outcome == ConvergenceOutcome.Failed, verdict.Summary);
            Assert.Equal(FailureCategory.PortAllocated, verdict.Services.Single().Category);
            Assert.True(verdict.DecidedAt - verdict.StartedAt < TimeSpan.FromMinutes(2), $"ended early, not at the budget: {verdict.Summary}");
        }
        finally { listener.Stop(); }
    }
}
