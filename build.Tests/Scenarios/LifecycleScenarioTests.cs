using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>Data continuity through a backup: the marker from before is back, the one from after is gone.</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Database_backup_with_dump_and_restore_hook_round_trips()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("bkok", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump }),
            TestRecipe.MemoryDbMarker);

        var run = await _ws.RunAsync("BackupRestore", "bkok", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("bkok", run));
        var r = _ws.Results("bkok");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(["FetchRecipe", "RunAdmission", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "SeedMarker", "Backup", "Mutate", "Restore", "VerifyMarker", "Teardown"],
            r.Stages.Select(s => s.Name));
        Assert.All(r.Stages, s => Assert.Equal(StageStatus.Passed, s.Status));
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Live_data_folder_without_restore_hook_loses_the_marker_and_restore_goes_red()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("bklive", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryLiveFolder }),
            TestRecipe.MemoryDbMarker);

        var run = await _ws.RunAsync("BackupRestore", "bklive", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("bklive", run));
        var r = _ws.Results("bklive");
        Assert.Equal(Verdict.Failed, r.Verdict);
        var verify = r.Stages.Single(s => s.Stage == StageId.VerifyMarker);
        Assert.Equal(StageStatus.Failed, verify.Status);
        Assert.Matches("the marker written before the backup \\('rci-[^']*-before'\\) is missing after the restore", verify.Reason);
        Assert.Contains("still there after the restore", verify.Reason);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(1, r.Level);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A recipe's own checks: each is a testcase, and one failing stops the level below L4 and turns the verdict red.</summary>
public sealed class CustomCheckTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Failing_custom_check_keeps_the_level_below_L4_and_the_verdict_red()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("cust", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1")));
        var folder = Path.Combine(_ws.Root, "tests", "cust");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "checks.yaml"), """
            checks:
              - name: serves its version
                http: {service: app, path: /, contains: "1.0.0+1"}
              - name: serves a page it does not have
                http: {service: app, path: /missing, status: [200]}
            """);
        await _ws.WriteScriptAsync(Path.Combine("tests", "cust", "env-is-given.sh"),
            "#!/bin/sh\ntest -n \"$RECIPE_CI_STACK\" && test -n \"$RECIPE_CI_CONTAINER_APP\" && docker exec \"$RECIPE_CI_CONTAINER_DB\" test -f /data/ready\n");

        var run = await _ws.RunAsync("Custom", "cust", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("cust", run));
        var r = _ws.Results("cust");
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Custom]);
        Assert.True(r.Level < 4);
        var stage = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.Equal(["serves its version", "serves a page it does not have", "env-is-given.sh"], stage.Checks.Select(c => c.Name));
        Assert.Equal([true, false, true], stage.Checks.Select(c => c.Passed));
        Assert.Contains("1 of 3 custom checks failed: serves a page it does not have: /missing answered 404", stage.Reason);
        var junit = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("cust"), "junit.xml"));
        Assert.Contains("name=\"serves a page it does not have\"", junit);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>The README's sample recipe through the whole lifecycle, from the repository's own recipes.yaml.</summary>
public sealed class SampleRecipeTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Sample_recipe_climbs_the_whole_ladder()
    {
        await LocalSwarm.EnsureAsync();
        var run = await Harness.RunAsync(["--target=Recipe", "--recipe=hello", $"--catalog={Path.Combine(RepoRoot.Path, "recipes.yaml")}",
            $"--artifacts={_ws.Artifacts}", $"--lock-dir={_ws.LockDir}", "--run-id=sample", "--abra=local"]);

        Assert.True(run.ExitCode == 0, _ws.Explain("hello", run));
        var r = _ws.Results("hello");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal("0.2.0+1.1", r.BaseVersion);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Upgrade]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Custom]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Lint]);
        Assert.Equal(5, r.Level);
        Assert.Contains("home page greets", ((Newtonsoft.Json.Linq.JArray)r.Customization["custom_checks"]!).Select(t => (string?)t));
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>Images are on the engine before a deploy: one that is neither here nor pullable is named at once, before swarm is asked anything.</summary>
public sealed class ImagePullTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task An_image_neither_here_nor_pullable_fails_the_deploy_naming_it_before_anything_is_deployed()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("imgmiss", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1")
        {
            ExtraServices = "  ghost:\n    image: recipe-ci/absent-image:1\n",
        }));

        var run = await _ws.RunAsync("Install", "imgmiss", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("imgmiss", run));
        var r = _ws.Results("imgmiss");
        Assert.Equal(Verdict.Failed, r.Verdict);
        var deploy = r.Stages.Single(s => s.Stage == StageId.DeployBase);
        Assert.Equal(StageStatus.Failed, deploy.Status);
        Assert.StartsWith("image missing: recipe-ci/absent-image:1 (service ghost) is not on this host and docker pull failed", deploy.Reason);
        Assert.Equal(new Swarm.FailedService("ghost", Swarm.FailureCategory.ImageMissing, null), deploy.Failure);
        Assert.Equal(StageStatus.Unverified, r.Stages.Single(s => s.Stage == StageId.AwaitBaseConvergence).Status);
        // Nothing of the stack reached the swarm.
        var commands = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("imgmiss"), deploy.Folder, "stage.json"));
        Assert.Contains("docker pull --quiet recipe-ci/absent-image:1", commands);
        Assert.DoesNotContain("stack deploy", commands);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
