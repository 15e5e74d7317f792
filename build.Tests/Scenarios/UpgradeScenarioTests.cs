using RecipeCi.Files;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>The upgrade of a healthy recipe, on the real local swarm, through the local driver.</summary>
public sealed class GreenUpgradeTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Green_upgrade_passes_and_stamps_the_head()
    {
        await LocalSwarm.EnsureAsync();
        var repo = await _ws.AddRecipeAsync("green", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1"),
            new TestRelease("1.1.0+2", "1.1.0+2"),
            new TestRelease("1.2.0+3")));
        var head = await _ws.GitAsync(repo, "rev-parse", "HEAD");

        var run = await _ws.RunAsync("Upgrade", "green", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("green", run));
        var r = _ws.Results("green");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal("local", r.Driver);
        Assert.Equal("1.1.0+2", r.BaseVersion);
        Assert.Equal("1.2.0+3", r.HeadVersion);
        Assert.Equal(head, r.Ref);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Upgrade]);
        Assert.Equal(2, r.Level);
        string[] expected = ["FetchRecipe", "RunAdmission", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "SeedUpgradeMarker", "CheckoutHead",
            "VetHead", "ChaosRedeploy", "AwaitHeadConvergence", "AwaitHeadHealthy", "HeadIdentityCheck", "VerifyUpgradeMarker", "Teardown"];
        Assert.Equal(expected, r.Stages.Select(s => s.Name));
        // Its health service mounts no volume and it declares no marker: the upgrade passes with that caveat said.
        string[] continuity = ["SeedUpgradeMarker", "VerifyUpgradeMarker"];
        Assert.All(r.Stages.Where(s => !continuity.Contains(s.Name)), s => Assert.Equal(StageStatus.Passed, s.Status));
        var seed = r.Stages.Single(s => s.Stage == StageId.SeedUpgradeMarker);
        Assert.Equal(StageStatus.Skipped, seed.Status);
        Assert.Contains("no data marker across the upgrade", seed.Reason);
        Assert.Contains("no data marker across the upgrade", (string?)r.Customization["upgrade_marker"]);
        foreach (var s in r.Stages) Assert.True(File.Exists(Path.Combine(_ws.RunDir("green"), s.Folder, "stage.json")), s.Folder);
        Assert.True(File.Exists(Path.Combine(_ws.RunDir("green"), "junit.xml")));

        var hc1 = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(_ws.StageDir("green", StageId.HeadIdentityCheck), "hc1.json")));
        Assert.Equal(head[..8], (string?)hc1["found"]);

        // start-first, as swarm ran it: the base's app task ends after the head's is running.
        var timeline = Timeline.Of(_ws.RunDir("green"));
        var headRunning = timeline.First(e => e is { Kind: TimelineKind.Task, Lane: "app", Spec: "head", State: "running" }).At;
        var baseEnded = timeline.Where(e => e is { Kind: TimelineKind.Task, Lane: "app", Spec: "base", State: "shutdown" or "complete" }).Max(e => e.At);
        Assert.True(baseEnded > headRunning, Timeline.Dump(timeline));
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>The seeds' story: swarm rolls the head back. The verdict must say so, not blame the stamp.</summary>
public sealed class RollbackTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Head_whose_new_task_fails_its_healthcheck_is_rolled_back_not_a_stamp_mismatch()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("rollb", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1"),
            new TestRelease("1.1.0+2") { AppHealthy = false, Message = "break the healthcheck" }));

        var run = await _ws.RunAsync("Upgrade", "rollb", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("rollb", run));
        var r = _ws.Results("rollb");
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        var converge = r.Stages.Single(s => s.Stage == StageId.AwaitHeadConvergence);
        Assert.Equal(StageStatus.RolledBack, converge.Status);
        Assert.Contains("app:", converge.Reason);
        Assert.Contains("rollback", converge.Reason);              // swarm's own message
        Assert.Contains("task ", converge.Reason);                 // the failed task's error
        Assert.Equal("app", converge.Failure?.Service);             // and the same, typed, for the sweep's short cause
        Assert.DoesNotContain("HC1", r.Reason);
        var hc1 = r.Stages.Single(s => s.Stage == StageId.HeadIdentityCheck);
        Assert.Equal(StageStatus.Unverified, hc1.Status);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.Equal(1, r.Level);
        Assert.Contains("convergence.json", converge.Evidence);
        Assert.True(File.Exists(Path.Combine(_ws.RunDir("rollb"), converge.Folder, "tasks.json")));

        // What swarm did, in its order: the head's task up, then ended (stopped for its failing healthcheck,
        // it exits 0: swarm says complete), then the rollback started and completed.
        var timeline = Timeline.Of(_ws.RunDir("rollb"));
        int Index(Func<TimelineEvent, bool> what) => timeline.FindIndex(e => what(e));
        var headUp = Index(e => e is { Kind: TimelineKind.Task, Lane: "app", Spec: "head", State: "starting" or "running" });
        var headFailed = Index(e => e is { Kind: TimelineKind.Task, Lane: "app", Spec: "head", State: "failed" or "complete" });
        var rollbackStarted = Index(e => e is { Kind: TimelineKind.Update, Lane: "app", State: "rollback_started" });
        var rollbackCompleted = Index(e => e is { Kind: TimelineKind.Update, Lane: "app", State: "rollback_completed" });
        Assert.True(headUp >= 0 && headUp < headFailed && headFailed < rollbackStarted && rollbackStarted < rollbackCompleted, Timeline.Dump(timeline));
        var page = File.ReadAllText(Path.Combine(_ws.RunDir("rollb"), RunPage.FileName));
        Assert.Contains("data-lane=\"app\"", page);
        Assert.Contains("<title>app update rollback completed", page);
        Assert.Contains("upgrade deploy judged rolled_back", page);
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A base release that never becomes healthy is a broken baseline, not an upgrade failure.</summary>
public sealed class BrokenBaselineTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Base_that_never_becomes_healthy_is_baseline_broken()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("brokb", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1") { AppHealthy = false },
            new TestRelease("1.1.0+2")));

        var run = await _ws.RunAsync("Upgrade", "brokb", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("brokb", run));
        var r = _ws.Results("brokb");
        Assert.Equal(Verdict.BaselineBroken, r.Verdict);
        Assert.Equal(StageStatus.BaselineBroken, r.Stages.Single(s => s.Stage == StageId.AwaitBaseConvergence).Status);
        Assert.Contains("base 1.0.0+1 did not converge", r.Reason);
        Assert.All(r.Stages.Where(s => s.Name is "ChaosRedeploy" or "HeadIdentityCheck"), s => Assert.Equal(StageStatus.Unverified, s.Status));
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Upgrade]);
        Assert.Equal(0, r.Level);
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A run's timeline.json, in time order.</summary>
internal static class Timeline
{
    public static List<TimelineEvent> Of(string runDirectory) =>
        [.. JsonConvention.Read<TimelineFile>(Path.Combine(runDirectory, TimelineFile.FileName)).Events.OrderBy(e => e.At)];

    public static string Dump(IEnumerable<TimelineEvent> events) => string.Join("\n", events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Kind} {e.Text}"));
}
