using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>What stops the stages after a failure, what lifts the stop, and where each stage's result goes.</summary>
public sealed class StageBookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-stagebook-").FullName;
    private readonly StepClock _clock = new();
    private readonly StageBook _book;

    public StageBookTests() => _book = new StageBook(_dir, new CommandRunner(), ArtifactWriter.NoSecrets, _ => { }, _clock);

    private static StageKind Kind(StageId stage, Rung? rung, bool stops = true) => new(stage, rung, false, false) { StopsRun = stops };

    private static Func<StageRecorder, Task<object?>> Ends(StageStatus status) => stage =>
    {
        if (status != StageStatus.Passed) stage.End(status, $"{stage.Name} said so");
        return Task.FromResult<object?>(null);
    };

    /// <summary>Runs the stage when the book lets it, ending as <paramref name="status"/>; returns whether it ran.</summary>
    private async Task<bool> RunAsync(StageKind kind, StageStatus status = StageStatus.Passed)
    {
        if (!_book.ShouldRun(kind)) return false;
        await _book.RunAsync(kind, ResultSlots.Marker, null, Ends(status), StageStatus.Failed, CancellationToken.None);
        return true;
    }

    /// <summary>A stage that starts over after an upgrade stage's stop, as ColdInstallHead does; returns the stop it lifted.</summary>
    private async Task<(bool Ran, StageStop? Lifted)> StartOverAsync(StageStatus status = StageStatus.Passed)
    {
        static bool LiftsUpgrade(StageStop stop) => stop.Rung == Rung.Upgrade;
        var kind = Kind(StageId.ColdInstallHead, null);
        if (!_book.ShouldStartOver(kind, LiftsUpgrade)) return (false, null);
        StageStop? lifted = null;
        await _book.StartOverAsync(kind, ResultSlots.ColdInstall, LiftsUpgrade, (stage, stop) =>
        {
            lifted = stop;
            return Ends(status)(stage);
        }, StageStatus.Failed, CancellationToken.None);
        return (true, lifted);
    }

    private StageStatus StatusOf(StageId stage) => _book.Stages.Single(s => s.Kind.Stage == stage).Status;

    [Fact]
    public async Task A_failed_check_stage_is_recorded_but_does_not_stop_the_run()
    {
        await RunAsync(Kind(StageId.CustomChecksAfterInstall, Rung.Custom, stops: false), StageStatus.Failed);
        Assert.True(await RunAsync(Kind(StageId.ChaosRedeploy, Rung.Upgrade)));
        Assert.Null(_book.Stop);

        var verdict = RunVerdict.Of(_book.Stages.Select(s => new StageResult { Name = s.Name, Rung = s.Kind.Rung, Folder = s.Folder, Status = s.Status }).ToList(), Rungs.All.ToHashSet());
        Assert.Equal(Verdict.Failed, verdict.Verdict);
        Assert.StartsWith("CustomChecksAfterInstall:", verdict.Reason);
        Assert.Equal(RungStatus.Pass, verdict.Rungs[Rung.Upgrade]);
    }

    [Fact]
    public async Task Starting_over_lifts_the_stop_and_a_failure_after_it_stops_the_rest_naming_itself()
    {
        await RunAsync(Kind(StageId.AwaitHeadConvergence, Rung.Upgrade), StageStatus.RolledBack);
        Assert.False(await RunAsync(Kind(StageId.AwaitHeadHealthy, Rung.Upgrade)));
        Assert.Contains("AwaitHeadConvergence was rolled_back", _book.Stages[^1].Reason);

        var (ran, lifted) = await StartOverAsync(StageStatus.Failed);
        Assert.True(ran);
        Assert.Equal(new StageStop(StageId.AwaitHeadConvergence, Rung.Upgrade, StageStatus.RolledBack), lifted);
        Assert.False(await RunAsync(Kind(StageId.SeedMarker, Rung.BackupRestore)));
        Assert.Equal("not run: ColdInstallHead was failed", _book.Stages[^1].Reason);
    }

    [Fact]
    public async Task After_starting_over_and_passing_the_later_rungs_run()
    {
        await RunAsync(Kind(StageId.VerifyUpgradeMarker, Rung.Upgrade), StageStatus.Failed);
        await StartOverAsync();
        Assert.True(await RunAsync(Kind(StageId.Backup, Rung.BackupRestore)));
        Assert.True(await RunAsync(Kind(StageId.CustomChecks, Rung.Custom)));
        Assert.Equal(StageStatus.Passed, StatusOf(StageId.Backup));
    }

    [Fact]
    public async Task A_stop_the_stage_does_not_lift_stays_and_with_none_it_runs_and_lifts_nothing()
    {
        Assert.Equal((true, null), await StartOverAsync());

        await RunAsync(Kind(StageId.VetBase, Rung.Install), StageStatus.Refused);
        Assert.Equal((false, null), await StartOverAsync());
        Assert.Equal("not run: VetBase was refused", _book.Stages[^1].Reason);
        Assert.Equal(StageId.VetBase, _book.Stop?.Stage);
    }

    [Fact]
    public void A_cold_install_lifts_an_upgrade_failure_that_leaves_later_rungs_to_serve_and_a_broken_baseline()
    {
        var all = Rungs.All.ToHashSet();
        var rolledBack = new StageStop(StageId.AwaitHeadConvergence, Rung.Upgrade, StageStatus.RolledBack);
        Assert.Equal([Rung.BackupRestore, Rung.Custom], ColdInstallHead.RungsServed(rolledBack, all, [], stopping: false));
        Assert.Equal([Rung.BackupRestore], ColdInstallHead.RungsServed(rolledBack, all, [Rung.Custom], stopping: false));
        Assert.Empty(ColdInstallHead.RungsServed(rolledBack, all, [], stopping: true));
        Assert.Empty(ColdInstallHead.RungsServed(rolledBack, new HashSet<Rung> { Rung.Install, Rung.Upgrade, Rung.Lint }, [], stopping: false));
        Assert.Empty(ColdInstallHead.RungsServed(rolledBack with { Status = StageStatus.Refused }, all, [], stopping: false));
        // The head is always tried: a broken base leaves the install rung to the head itself.
        var baseBroken = new StageStop(StageId.AwaitBaseHealthy, Rung.Install, StageStatus.BaselineBroken);
        Assert.Equal([Rung.Install, Rung.BackupRestore, Rung.Custom], ColdInstallHead.RungsServed(baseBroken, all, [], stopping: false));
        Assert.Equal([Rung.Install], ColdInstallHead.RungsServed(baseBroken, new HashSet<Rung> { Rung.Install, Rung.Upgrade }, [], stopping: false));
        Assert.Empty(ColdInstallHead.RungsServed(baseBroken, all, [], stopping: true));
        Assert.Empty(ColdInstallHead.RungsServed(new StageStop(StageId.VetBase, Rung.Install, StageStatus.Refused), all, [], stopping: false));
        Assert.Empty(ColdInstallHead.RungsServed(new StageStop(StageId.FetchRecipe, null, StageStatus.Failed), all, [], stopping: false));
    }

    [Fact]
    public async Task A_stage_result_goes_into_its_slot_and_nothing_found_records_why()
    {
        var answer = new HealthAnswer("http://127.0.0.1/", 200, 1, 0.5);
        await _book.RunAsync(Kind(StageId.AwaitHeadHealthy, Rung.Upgrade), ResultSlots.HeadHealth, null, _ => Task.FromResult<object?>(answer), StageStatus.Failed, CancellationToken.None);
        await _book.RunAsync(Kind(StageId.SeedMarker, Rung.BackupRestore), ResultSlots.Marker, null, stage =>
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
        var app = new AppName("hell-abc123.ci.local", new StackName("hell-abc123_ci_local"));
        await _book.RunAsync(Kind(StageId.FetchRecipe, null), ResultSlots.Plan, ResultSlots.App, async _ =>
        {
            await stop.CancelAsync();
            throw new StoppedShort(app, new OperationCanceledException(stop.Token));
        }, StageStatus.Failed, stop.Token);

        Assert.Same(app, _book.Results.App);
        Assert.Null(_book.Results.Plan);
        Assert.Equal((StageStatus.Error, "interrupted by SIGTERM"), (_book.Stages[0].Status, _book.Stages[0].Reason));
    }

    [Fact]
    public async Task A_stage_is_timed_by_the_runs_clock()
    {
        await _book.RunAsync(Kind(StageId.Backup, Rung.BackupRestore), ResultSlots.Backup, null, _ =>
        {
            _clock.Advance(TimeSpan.FromSeconds(42));
            return Task.FromResult<object?>(null);
        }, StageStatus.Failed, CancellationToken.None);

        Assert.Equal(StepClock.Start, _book.Stages[0].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(42), _book.Stages[0].Duration);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A clock that moves only when told.</summary>
    private sealed class StepClock : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        private DateTimeOffset _now = Start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
