using RecipeCi.Evidence;
using RecipeCi.Lifecycle;
using RecipeCi.Processes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>What stops the stages after a failure, and what lifts the stop.</summary>
public sealed class StageBookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-stagebook-").FullName;
    private readonly StageBook _book;

    public StageBookTests() => _book = new StageBook(_dir, new CommandRunner(), ArtifactWriter.NoSecrets, _ => { });

    private static StageKind Kind(string name, Rung rung, bool stops = true) => new(name, rung, false, false) { StopsRun = stops };

    /// <summary>Runs the stage when the book lets it, ending as <paramref name="status"/>; returns whether it ran.</summary>
    private async Task<bool> RunAsync(StageKind kind, StageStatus status = StageStatus.Passed, Action? body = null)
    {
        // A stage that lifts the stop runs whatever stopped the run, as ColdInstallHead asks.
        if (!_book.ShouldRun(kind, always: body is not null)) return false;
        await _book.RunAsync(kind, ResultSlots.ColdInstall, null, stage =>
        {
            body?.Invoke();
            if (status != StageStatus.Passed) stage.End(status, $"{kind.Name} said so");
            return Task.FromResult<object?>(null);
        }, StageStatus.Failed, CancellationToken.None);
        return true;
    }

    private StageStatus StatusOf(string name) => _book.Stages.Single(s => s.Name == name).Status;

    [Fact]
    public async Task A_failed_check_stage_is_recorded_but_does_not_stop_the_run()
    {
        await RunAsync(Kind("CustomChecksAfterInstall", Rung.Custom, stops: false), StageStatus.Failed);
        Assert.True(await RunAsync(Kind("ChaosRedeploy", Rung.Upgrade)));
        Assert.Null(_book.Blocker);

        var verdict = RunVerdict.Of(_book.Stages.Select(s => new StageResult { Name = s.Name, Rung = s.Kind.Rung, Folder = s.Folder, Status = s.Status }).ToList(), Rungs.All.ToHashSet());
        Assert.Equal(Verdict.Failed, verdict.Verdict);
        Assert.StartsWith("CustomChecksAfterInstall:", verdict.Reason);
        Assert.Equal(RungStatus.Pass, verdict.Rungs[Rung.Upgrade]);
    }

    [Fact]
    public async Task Lifting_the_stop_lets_later_stages_run_and_a_failure_after_it_stops_them_naming_itself()
    {
        await RunAsync(Kind("AwaitHeadConvergence", Rung.Upgrade), StageStatus.RolledBack);
        Assert.False(await RunAsync(Kind("AwaitHeadHealthy", Rung.Upgrade)));
        Assert.Contains("AwaitHeadConvergence was rolled_back", _book.Stages[^1].Reason);

        await RunAsync(new StageKind("ColdInstallHead", null, false, true), StageStatus.Failed, _book.Lift);
        Assert.False(await RunAsync(Kind("SeedMarker", Rung.BackupRestore)));
        Assert.Equal("not run: ColdInstallHead was failed", _book.Stages[^1].Reason);
    }

    [Fact]
    public async Task After_a_lift_and_a_passed_stage_the_later_rungs_run()
    {
        await RunAsync(Kind("VerifyUpgradeMarker", Rung.Upgrade), StageStatus.Failed);
        await RunAsync(new StageKind("ColdInstallHead", null, false, true), body: _book.Lift);
        Assert.True(await RunAsync(Kind("Backup", Rung.BackupRestore)));
        Assert.True(await RunAsync(Kind("CustomChecks", Rung.Custom)));
        Assert.Equal(StageStatus.Passed, StatusOf("Backup"));
    }

    [Fact]
    public async Task A_stage_result_goes_into_its_slot_and_nothing_found_records_why()
    {
        var answer = new HealthAnswer("http://127.0.0.1/", 200, 1, 0.5);
        await _book.RunAsync(Kind("AwaitHeadHealthy", Rung.Upgrade), ResultSlots.HeadHealth, null, _ => Task.FromResult<object?>(answer), StageStatus.Failed, CancellationToken.None);
        await _book.RunAsync(Kind("SeedMarker", Rung.BackupRestore), ResultSlots.Marker, null, stage =>
        {
            stage.Skip("not backup-capable");
            return Task.FromResult<object?>(null);
        }, StageStatus.Failed, CancellationToken.None);

        Assert.Same(answer, _book.Results.HeadHealth);
        Assert.Null(_book.Results.BaseHealth);
        Assert.Equal("not backup-capable", ResultSlots.Marker.WhyMissing(_book.Results));
    }

    [Fact]
    public async Task A_stage_stopped_short_leaves_its_part_and_ends_as_its_cause_says()
    {
        using var stop = new CancellationTokenSource();
        _book.InterruptReason = () => "SIGTERM";
        var app = new AppName("hell-abc123.ci.local", new Swarm.StackName("hell-abc123_ci_local"));
        await _book.RunAsync(new StageKind("FetchRecipe", null, false, false), ResultSlots.Plan, ResultSlots.App, async _ =>
        {
            await stop.CancelAsync();
            throw new StoppedShort(app, new OperationCanceledException(stop.Token));
        }, StageStatus.Failed, stop.Token);

        Assert.Same(app, _book.Results.App);
        Assert.Null(_book.Results.Plan);
        Assert.Equal((StageStatus.Error, "interrupted by SIGTERM"), (_book.Stages[0].Status, _book.Stages[0].Reason));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
