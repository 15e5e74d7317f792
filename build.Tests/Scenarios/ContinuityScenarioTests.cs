using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>Data written on the base must be there on the head: an upgrade that loses it fails the upgrade rung.</summary>
public sealed class UpgradeContinuityTests : IDisposable
{
    private readonly Workspace _ws = new();

    private async Task<HarnessResult> UpgradeAsync(string name, string headVolume)
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync(name, TestRecipe.History(
                new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump },
                new TestRelease("1.1.0+2") { Db = TestDb.MemoryWithDump, DataVolume = headVolume, Message = "data volume " + headVolume }),
            TestRecipe.MemoryDbMarker);
        return await _ws.RunAsync("Upgrade", name, "--abra=local");
    }

    [Fact]
    public async Task Head_that_renames_the_data_volume_fails_the_upgrade_naming_the_marker_and_the_volumes()
    {
        var run = await UpgradeAsync("ctvolren", "store");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctvolren", run));
        var r = _ws.Results("ctvolren");
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.Equal(1, r.Level);
        var verify = r.Stages.Single(s => s.Stage == StageId.VerifyUpgradeMarker);
        Assert.Equal(StageStatus.Failed, verify.Status);
        Assert.Contains("data written on the base is gone after the upgrade", verify.Reason);
        Assert.Matches("marker 'rci-[^']*-upgrade'", verify.Reason);
        Assert.Contains($"volumes before: {r.Stack}_data (db:/data); after: {r.Stack}_store (db:/data)", verify.Reason);
        Assert.Contains("continuity.json", verify.Evidence);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.HeadIdentityCheck).Status);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Head_that_keeps_the_data_volume_passes_with_the_marker_found()
    {
        var run = await UpgradeAsync("ctvolkeep", "data");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctvolkeep", run));
        var r = _ws.Results("ctvolkeep");
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Upgrade]);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.SeedUpgradeMarker).Status);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.VerifyUpgradeMarker).Status);
        Assert.Equal("recipes.yaml backup commands in db", (string?)r.Customization["upgrade_marker"]);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A rung that cannot run is a coverage gap unless recipes.yaml declares it not applicable.</summary>
public sealed class CoverageGapTests : IDisposable
{
    private readonly Workspace _ws = new();

    // One release: the upgrade rung is skip (nothing to upgrade from), so the ladder's outcome rests on custom.
    private async Task<HarnessResult> RunAsync(string name, string extra)
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync(name, TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump }),
            TestRecipe.MemoryDbMarker + extra);
        return await _ws.RunAsync("Recipe", name, "--abra=local");
    }

    [Fact]
    public async Task Recipe_without_custom_checks_has_a_custom_gap_below_L4_and_a_passed_verdict()
    {
        var run = await RunAsync("ctgap", "");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctgap", run));
        var r = _ws.Results("ctgap");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Gap, r.Rungs[Rung.Custom]);
        Assert.Equal(3, r.Level);
        var custom = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.True(custom.CoverageGap);
        Assert.StartsWith("coverage gap: no custom checks", custom.Reason);
        Assert.Contains("coverage gap: custom could not run", run.Output);
    }

    [Fact]
    public async Task Declared_not_applicable_custom_rung_is_skip()
    {
        var run = await RunAsync("ctnacust", "    not_applicable: {custom: \"the test app has nothing of its own to check\"}\n");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctnacust", run));
        var r = _ws.Results("ctnacust");
        Assert.Equal(RungStatus.Skip, r.Rungs[Rung.Custom]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        // A declared skip climbs past: the level is the lint rung's to decide, above the gap's L3.
        Assert.Equal(r.Rungs[Rung.Lint] == RungStatus.Pass ? 5 : 3, r.Level);
        var custom = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.False(custom.CoverageGap);
        Assert.Equal("declared not applicable in recipes.yaml: the test app has nothing of its own to check", custom.Reason);
    }

    public void Dispose() => _ws.Dispose();
}
