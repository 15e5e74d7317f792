using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

public sealed class TaskFailureTests
{
    private static TaskInfo Task(string state, string? err, int exit = 0) => new()
    {
        ID = "abcdef0123456789",
        Status = new RecipeCi.Swarm.TaskStatus { State = SwarmState<TaskState>.Parse(state), Err = err, ContainerStatus = new TaskContainerStatus { ExitCode = exit } },
    };

    [Theory]
    // Errors as swarm 20.10 reports them.
    [InlineData("rejected", "No such image: recipe-ci/app:9", 0, FailureCategory.ImageMissing)]
    [InlineData("pending", "no suitable node (host-mode port already in use on 1 node)", 0, FailureCategory.PortAllocated)]
    [InlineData("failed", "starting container failed: driver failed programming external connectivity: Bind for 0.0.0.0:80 failed: port is already allocated", 0, FailureCategory.PortAllocated)]
    [InlineData("pending", "no suitable node (scheduling constraints not satisfied on 1 node)", 0, FailureCategory.NoSuitableNode)]
    [InlineData("rejected", "secret app_db_password_v1 not found", 0, FailureCategory.SecretOrConfigMissing)]
    [InlineData("failed", "task: non-zero exit (137): dockerexec: unhealthy container", 137, FailureCategory.HealthcheckFailing)]
    [InlineData("failed", "task: non-zero exit (137)", 137, FailureCategory.Killed)]
    [InlineData("failed", "task: non-zero exit (2)", 2, FailureCategory.ExitCode)]
    public void Swarm_errors_are_categorised(string state, string err, int exit, FailureCategory expected) =>
        Assert.Equal(expected, TaskFailure.Describe(Task(state, err, exit)).Category);

    [Fact]
    public void Container_state_tells_oom_and_healthcheck_apart_from_a_plain_kill()
    {
        var killed = Task("failed", "task: non-zero exit (137)", 137);
        Assert.Equal(FailureCategory.OutOfMemory, TaskFailure.Describe(killed, new ContainerState { ExitCode = 137, OOMKilled = true }).Category);

        var unhealthy = TaskFailure.Describe(Task("complete", null), new ContainerState
        {
            Health = new ContainerHealth { Status = "unhealthy", FailingStreak = 1, Log = [new HealthProbeResult { ExitCode = 1, Output = "connection refused" }] },
        });
        Assert.Equal(FailureCategory.HealthcheckFailing, unhealthy.Category);
        Assert.Contains("last probe exited 1: connection refused", unhealthy.Text);

        // Exited by itself before any probe ran: docker calls it unhealthy, but the cause is the exit.
        var exited = TaskFailure.Describe(Task("failed", "task: non-zero exit (3)", 3), new ContainerState { ExitCode = 3, Health = new ContainerHealth { Status = "unhealthy" } });
        Assert.Equal(FailureCategory.ExitCode, exited.Category);
    }

    [Fact]
    public void Untruncated_error_and_exit_137_explained()
    {
        var err = "task: non-zero exit (137): " + new string('x', 200);
        var text = TaskFailure.Describe(Task("failed", err, 137)).Text;
        Assert.Contains(err, text);
        Assert.Contains("exit code 137 (killed: out of memory, or stopped by swarm)", text);
    }

    [Fact]
    public void Docker_event_lines_parse_with_swarm_time()
    {
        // As `docker events --format '{{json .}}'` prints a swarm service event (20.10).
        const string line = """{"Type":"service","Action":"update","Actor":{"ID":"8jztur8k8skx","Attributes":{"name":"s1_app","updatestate.new":"completed","updatestate.old":"updating"}},"scope":"swarm","time":1795394388,"timeNano":1795394388757077160}""";
        var e = Newtonsoft.Json.JsonConvert.DeserializeObject<DockerEvent>(line)!;
        Assert.Equal("completed", e.Attribute("updatestate.new"));
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T00:39:48.7570771Z"), e.SwarmTime);
        Assert.True(DockerStackEvents.IsAbout(e, "s1", new HashSet<string> { "s1_app" }));
    }

    [Fact]
    public void Only_events_about_the_stack_wake_the_watcher()
    {
        var services = new HashSet<string> { "s1_app" };
        DockerEvent Ev(string type, string action, params (string K, string V)[] attrs) =>
            new() { Type = type, Action = action, Actor = new EventActor { Attributes = attrs.ToDictionary(a => a.K, a => a.V) } };

        Assert.True(DockerStackEvents.IsAbout(Ev("service", "update", ("name", "s1_app"), ("updatestate.new", "completed")), "s1", services));
        Assert.True(DockerStackEvents.IsAbout(Ev("container", "die", (DockerCli.StackLabel, "s1")), "s1", services));
        Assert.False(DockerStackEvents.IsAbout(Ev("service", "update", ("name", "s10_app")), "s1", services));
        Assert.False(DockerStackEvents.IsAbout(Ev("container", "exec_start: /bin/sh -c true", (DockerCli.StackLabel, "s1")), "s1", services));
        Assert.False(DockerStackEvents.IsAbout(Ev("container", "die", (DockerCli.StackLabel, "s2")), "s1", services));
    }

    [Fact]
    public void A_task_swarm_calls_running_serves_only_while_its_container_runs_healthy_or_has_lasted()
    {
        static bool Serves(ContainerState? c, double runningFor = 60) =>
            ConvergenceJudge.Serves(c, TimeSpan.FromSeconds(runningFor), TimeSpan.FromSeconds(5));
        // Stopped for failing its healthcheck, exited 0: swarm shows the task running for a moment.
        Assert.False(Serves(new ContainerState { Status = "exited", Health = new ContainerHealth { Status = "unhealthy" } }));
        Assert.False(Serves(new ContainerState { Status = "running", Health = new ContainerHealth { Status = "unhealthy" } }));
        Assert.False(Serves(new ContainerState { Status = "exited" }));
        Assert.True(Serves(new ContainerState { Status = "running", Health = new ContainerHealth { Status = "healthy" } }, runningFor: 0));
        // No healthcheck: started is not serving until it lasted the stable window.
        Assert.False(Serves(new ContainerState { Status = "running" }, runningFor: 0.2));
        Assert.True(Serves(new ContainerState { Status = "running" }, runningFor: 5));
        Assert.True(Serves(null));   // another node's container: swarm's word
    }

    [Fact]
    public void The_stable_window_is_the_services_update_monitor_else_swarms_default()
    {
        var svc = new ServiceInfo { Spec = new ServiceSpec { UpdateConfig = new UpdateConfig { Monitor = 1_500_000_000 } } };
        Assert.Equal(TimeSpan.FromSeconds(1.5), ObservedService.Of(svc, []).StableWindow);
        Assert.Equal(TimeSpan.FromSeconds(5), ObservedService.Of(new ServiceInfo(), []).StableWindow);
    }
}
