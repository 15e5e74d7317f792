using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// The convergence rules on looks recorded on the real swarm (build.Tests/Fixtures/Observations):
/// each fixture is replayed through the judge in order, without docker. The watcher stopped at the
/// first decisive look, so every earlier one must have been judged pending: a rollback that was
/// once judged converged, or a pause taken for the end, fails here.
/// </summary>
public sealed class ConvergenceReplayTests
{
    private static List<ConvergenceJudgement> Replay(string scenario)
    {
        var fixture = ObservationFixture.Load(scenario);
        var judge = new ConvergenceJudge();
        return fixture.Observations.Select(look => judge.Judge(fixture.Request, look)).ToList();
    }

    /// <summary>The last look's judgement, after checking that no earlier look decided anything.</summary>
    private static ConvergenceJudgement Decisive(string scenario, ConvergenceOutcome expected)
    {
        var judged = Replay(scenario);
        foreach (var (earlier, i) in judged[..^1].Select((j, i) => (j, i)))
            Assert.True(earlier.Outcome is null, $"{scenario}: look {i + 1} of {judged.Count} already decided {earlier.Outcome}: {earlier.Summary}");
        Assert.True(judged[^1].Outcome == expected, $"{scenario}: the last look gives {judged[^1].Outcome?.ToString() ?? "no decision"}: {judged[^1].Summary}");
        return judged[^1];
    }

    private static ServiceState Of(ConvergenceJudgement j, string service) => j.Services.Single(s => s.Service == service);

    [Fact]
    public void Green_update_converges_when_swarm_says_completed_at_its_completion_time()
    {
        var last = Decisive("green-update", ConvergenceOutcome.Converged);
        Assert.Equal(UpdateState.Completed, Of(last, "app").UpdateState?.Kind);
        Assert.NotNull(last.ChangedAt);
        Assert.Equal(last.ChangedAt, Of(last, "app").SwarmAt);
    }

    [Theory]
    [InlineData("rollback", "app")]
    [InlineData("mixed-rollback", "web")]   // one service rolled back among ones that complete
    [InlineData("healthy-then-dies", "app")]
    public void Rollback_is_rolled_back_naming_the_service_with_the_failed_task(string scenario, string service)
    {
        var last = Decisive(scenario, ConvergenceOutcome.RolledBack);
        Assert.Equal([service], last.Services.Where(s => s.Outcome == ConvergenceOutcome.RolledBack).Select(s => s.Service));
        Assert.StartsWith($"{service}: swarm rollback", last.Summary);
        Assert.NotNull(Of(last, service).TaskError);
    }

    [Fact]
    public void A_rollback_is_dated_by_swarm_its_start_by_the_service_change_its_end_by_its_completion()
    {
        ObservedService LastLook(string scenario) => ObservationFixture.Load(scenario).Observations[^1].Services.Single();
        Assert.Equal(LastLook("rollback").UpdatedAt, Decisive("rollback", ConvergenceOutcome.RolledBack).ChangedAt);
        Assert.Equal(UpdateState.RollbackStarted, LastLook("rollback").UpdateStatus?.State?.Kind);
        var completed = LastLook("rollback-completed").UpdateStatus!;
        Assert.Equal(UpdateState.RollbackCompleted, completed.State?.Kind);
        Assert.Equal(completed.CompletedAt, Decisive("rollback-completed", ConvergenceOutcome.RolledBack).ChangedAt);
    }

    [Fact]
    public void A_task_without_healthcheck_serves_only_once_it_lasted_the_monitor()
    {
        // Each task of exit-137 ran 3 s of the 10 s it had to last, then exited.
        var fixture = ObservationFixture.Load("exit-137");
        var young = fixture.Observations.Where(look => look.Tasks.Any(t => t.Status.State.Kind == TaskState.Running
            && look.ContainerOf(t)?.Status == "running" && look.ObservedAt - t.Status.Timestamp < TimeSpan.FromSeconds(10))).ToList();
        Assert.NotEmpty(young);
        Assert.All(young, look => Assert.StartsWith("0/1 running on the current spec (1 more started, not yet healthy or stable for 10s)",
            Of(new ConvergenceJudge().Judge(fixture.Request, look), "app").Detail));
    }

    [Fact]
    public void A_new_task_that_was_healthy_is_not_convergence_before_swarm_completes_the_update()
    {
        var judged = Replay("healthy-then-dies");
        // It served (healthy) while swarm still watched it; the update then rolled back.
        Assert.Contains(judged, j => Of(j, "app").Detail.StartsWith("1/1 running on the current spec, update updating", StringComparison.Ordinal));
        Assert.Equal(FailureCategory.ExitCode, Of(judged[^1], "app").Category);
    }

    [Theory]
    [InlineData("stale-rollback-completed")]
    [InlineData("stale-paused")]
    [InlineData("stale-completed")]
    public void An_update_status_from_before_the_deploy_is_ignored_with_its_time(string scenario)
    {
        var last = Decisive(scenario, ConvergenceOutcome.Converged);
        var app = Of(last, "app");
        Assert.Null(app.UpdateState);
        Assert.Null(app.SwarmAt);                         // app's old update is no change of this deploy
        Assert.Equal(Of(last, "web").SwarmAt, last.ChangedAt);
    }

    [Fact]
    public void A_known_cause_ends_the_wait_at_the_first_task_that_fails_so_and_another_cause_waits_as_before()
    {
        var fixture = ObservationFixture.Load("crash-loop-exit-code");
        int FirstDecisive(FailedService? known) => fixture.Observations.ToList().FindIndex(look =>
            new ConvergenceJudge().Judge(fixture.Request with { KnownCause = known }, look).Outcome is not null);
        var usual = FirstDecisive(null);
        var same = FirstDecisive(new FailedService("app", FailureCategory.ExitCode, 3));
        Assert.True(same >= 0 && same < usual, $"the known cause decided at look {same}, the usual rule at {usual}");
        var judged = new ConvergenceJudge().Judge(fixture.Request with { KnownCause = new FailedService("app", FailureCategory.ExitCode, 3) }, fixture.Observations[same]);
        Assert.Equal(ConvergenceOutcome.Failed, judged.Outcome);
        Assert.Contains("failed as the upgrade's did before swarm rolled it back (exited)", Of(judged, "app").Detail);
        Assert.Equal(usual, FirstDecisive(new FailedService("app", FailureCategory.HealthcheckFailing, null)));
        Assert.Equal(usual, FirstDecisive(new FailedService("db", FailureCategory.ExitCode, 3)));
    }

    [Fact]
    public void Label_only_change_converges_on_the_first_look()
    {
        var last = Decisive("label-only", ConvergenceOutcome.Converged);
        Assert.Single(ObservationFixture.Load("label-only").Observations);
        Assert.NotNull(last.ChangedAt);
    }

    [Fact]
    public void A_spec_without_the_deployed_labels_fails_naming_the_label()
    {
        var last = Decisive("label-mismatch", ConvergenceOutcome.Failed);
        Assert.Contains("stamp=b (deployed: c)", last.Summary);
    }

    [Theory]
    [InlineData("image-missing", FailureCategory.ImageMissing, "image missing: ")]
    [InlineData("no-node", FailureCategory.NoSuitableNode, "cannot be placed")]          // unschedulable for 5 s
    [InlineData("port-in-use", FailureCategory.PortAllocated, "port already allocated: ")]
    [InlineData("crash-loop-exit-code", FailureCategory.ExitCode, "3 task(s) on the current spec failed")]
    [InlineData("exit-137", FailureCategory.Killed, "exit code 137 (killed")]
    [InlineData("unhealthy", FailureCategory.HealthcheckFailing, "healthcheck failing: ")]
    public void Hopeless_deploy_fails_early_with_its_category(string scenario, FailureCategory category, string says)
    {
        var last = Decisive(scenario, ConvergenceOutcome.Failed);
        Assert.Equal(category, Of(last, "app").Category);
        Assert.Contains(says, last.Summary);
    }

    [Fact]
    public void One_shot_service_whose_task_completed_is_converged()
    {
        var last = Decisive("one-shot", ConvergenceOutcome.Converged);
        Assert.StartsWith("one-shot: 1/1 complete", Of(last, "job").Detail);
    }

    [Fact]
    public void Job_that_completed_with_exit_0_is_converged_though_swarm_paused_its_update_and_the_others_are_waited_for()
    {
        var judged = Replay("one-shot-paused");
        var last = Decisive("one-shot-paused", ConvergenceOutcome.Converged);
        Assert.Equal(UpdateState.Paused, Of(last, "job").UpdateState?.Kind);
        Assert.Equal("one-shot: 1/1 complete, update paused for its early end", Of(last, "job").Detail);
        // The job's decision did not end the wait: app's update was still running then.
        Assert.Contains(judged, j => j.Outcome is null && Of(j, "job").Outcome == ConvergenceOutcome.Converged);
        // Converged is dated by the last service's change: app's completion, after the job's end.
        Assert.True(Of(last, "app").SwarmAt > Of(last, "job").SwarmAt);
        Assert.Equal(Of(last, "app").SwarmAt, last.ChangedAt);
    }

    [Fact]
    public void Job_that_exited_non_zero_is_failed_naming_it_and_its_exit_code()
    {
        var last = Decisive("one-shot-exit-code", ConvergenceOutcome.Failed);
        Assert.Equal(["job"], last.Services.Where(s => s.Outcome == ConvergenceOutcome.Failed).Select(s => s.Service));
        Assert.Equal(FailureCategory.ExitCode, Of(last, "job").Category);
        Assert.Contains("exited with code 3", Of(last, "job").Detail);
    }

    [Fact]
    public void Service_scaled_to_zero_converges_only_once_its_tasks_stopped()
    {
        var judged = Replay("scaled-to-zero");
        Assert.Contains(judged, j => Of(j, "app").Detail.StartsWith("1 task(s) still stopping, 0 wanted", StringComparison.Ordinal));
        Assert.Equal("scaled to 0", Of(Decisive("scaled-to-zero", ConvergenceOutcome.Converged), "app").Detail);
    }

    [Fact]
    public void Services_the_request_does_not_declare_are_not_judged()
    {
        // The stack still had its broken "legacy" service when these looks were made.
        var last = Decisive("pruned-service", ConvergenceOutcome.Converged);
        Assert.Equal(["app"], last.Services.Select(s => s.Service));
    }

    [Fact]
    public void Update_still_in_flight_is_never_decided_and_stays_pending_with_what_it_waits_for()
    {
        var fixture = ObservationFixture.Load("timed-out");
        var judged = Replay("timed-out");
        Assert.All(judged, j => Assert.Null(j.Outcome));
        Assert.Contains("running on the current spec", judged[^1].Pending);
        Assert.EndsWith(", update updating (latest task running)", judged[^1].Pending);
        Assert.True(fixture.Observations[^1].ObservedAt - fixture.Observations[0].ObservedAt >= fixture.Budget - TimeSpan.FromSeconds(2),
            "the recording covers the budget the watcher gave up at");
    }
}
