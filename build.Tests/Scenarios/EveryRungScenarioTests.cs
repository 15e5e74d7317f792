using System.Xml.Linq;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;
using Xunit.Abstractions;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// One red rung must not hide the others: after a failed upgrade the head is installed cold and the
/// later rungs get results of their own. Custom checks run at the moment their after: names.
/// </summary>
public sealed class EveryRungScenarioTests(ITestOutputHelper output) : IDisposable
{
    private readonly Workspace _ws = new();

    // The base's side service leaves a file in its volume; the head's is healthy only without it:
    // as an upgrade it rolls back, installed on a fresh volume it runs.
    private const string SideVolume = "  sidestate:\n";
    private const string BaseSide = """
          side:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "touch /state/old; trap 'exit 0' TERM INT; while :; do sleep 1; done"]
            volumes: [sidestate:/state]
        """;
    private const string HeadSide = """
          side:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 1; done"]
            volumes: [sidestate:/state]
            healthcheck:
              test: ["CMD-SHELL", "test ! -f /state/old"]
              interval: 1s
              retries: 2
              start_period: 2s
            deploy:
              update_config: {failure_action: rollback, monitor: 4s}
        """;

    private Task WriteChecksAsync(string recipe, string yaml)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_ws.Root, "tests", recipe)).FullName;
        return File.WriteAllTextAsync(Path.Combine(folder, "checks.yaml"), yaml);
    }

    private static int IndexOf(RunResult r, string stage) => r.Stages.FindIndex(s => s.Name == stage);

    [Fact]
    public async Task Rolled_back_upgrade_still_gets_backup_restore_and_custom_results_from_the_head_installed_cold()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctcoldok", TestRecipe.History(
                new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump, ExtraServices = BaseSide, ExtraVolumes = SideVolume },
                new TestRelease("1.1.0+2") { Db = TestDb.MemoryWithDump, ExtraServices = HeadSide, ExtraVolumes = SideVolume, Message = "side needs a fresh volume" }),
            TestRecipe.MemoryDbMarker);
        await WriteChecksAsync("ctcoldok", """
            checks:
              - name: the base answers
                exec: {service: app, command: "grep -q 1.0.0 /var/www/index.html"}
                after: install
              - name: the head answers
                exec: {service: app, command: "grep -q 1.1.0 /var/www/index.html"}
            """);

        var run = await _ws.RunAsync("Recipe", "ctcoldok", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctcoldok", run));
        var r = _ws.Results("ctcoldok");
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        Assert.StartsWith("AwaitHeadConvergence: swarm rolled the head back", r.Reason);
        Assert.Equal(1, r.Level);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Custom]);

        var cold = r.Stages.Single(s => s.Stage == StageId.ColdInstallHead);
        Assert.Equal(StageStatus.Passed, cold.Status);
        Assert.True(IndexOf(r, "AwaitHeadConvergence") < IndexOf(r, "ColdInstallHead") && IndexOf(r, "ColdInstallHead") < IndexOf(r, "SeedMarker"));
        Assert.Equal(StageStatus.Unverified, r.Stages.Single(s => s.Stage == StageId.HeadIdentityCheck).Status);
        // The after: install check ran on the base, before the upgrade; the end's on the head installed cold.
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.CustomChecksAfterInstall).Status);
        Assert.True(IndexOf(r, "CustomChecksAfterInstall") < IndexOf(r, "SeedUpgradeMarker"));
        Assert.Equal(["the head answers"], r.Stages.Single(s => s.Stage == StageId.CustomChecks).Checks.Select(c => c.Name));
        Assert.Contains("rungs: install=pass, upgrade=fail, backup_restore=pass, custom=pass", run.Output);
        var timeline = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("ctcoldok"), TimelineFile.FileName));
        Assert.Contains("upgrade rolled_back: install the head cold for backup_restore,custom", timeline);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task When_the_head_cannot_install_cold_either_the_later_rungs_are_unverified_naming_that()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctcoldbad", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1"),
            new TestRelease("1.1.0+2") { AppHealthy = false, Message = "broken health" }));

        var run = await _ws.RunAsync("Recipe", "ctcoldbad", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctcoldbad", run));
        var r = _ws.Results("ctcoldbad");
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        // The install rung is about the head: its cold install failed, so the rung fails and the level is L0.
        Assert.Equal(0, r.Level);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);
        var cold = r.Stages.Single(s => s.Stage == StageId.ColdInstallHead);
        Assert.True(cold.Status.IsFailure(), $"{cold.Status}: {cold.Reason}");
        Assert.Contains("the head did not install", cold.Reason);
        Assert.Contains("failed as the upgrade's did before swarm rolled it back (healthcheck failing)", cold.Reason);
        foreach (var later in new[] { "SeedMarker", "Backup", "CustomChecks" })
            Assert.Equal($"not run: ColdInstallHead was {cold.Status.Word()}", r.Stages.Single(s => s.Name == later).Reason);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Custom]);
        // Lint reads a clone, not the app: its rung has its own result whatever stopped the run.
        var lint = r.Stages.Single(s => s.Stage == StageId.LintRecipe);
        Assert.True(lint.Status is StageStatus.Passed or StageStatus.Failed, $"{lint.Status}: {lint.Reason}");
        Assert.NotEqual(RungStatus.Unverified, r.Rungs[Rung.Lint]);
        // The timeline ends the removed stack's bars where the harness removed it.
        Assert.Contains(Timeline.Of(_ws.RunDir("ctcoldbad")), e => e is { Kind: TimelineKind.Action, State: TimelineEvent.Removed });
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task A_broken_base_still_gets_the_head_installed_cold_for_install_backup_restore_and_custom()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctbasebad", TestRecipe.History(
                new TestRelease("1.0.0+1", "1.0.0+1") { AppHealthy = false, Db = TestDb.MemoryWithDump },
                new TestRelease("1.1.0+2") { Db = TestDb.MemoryWithDump, Message = "health fixed" }),
            TestRecipe.MemoryDbMarker);
        await WriteChecksAsync("ctbasebad", """
            checks:
              - name: the head answers
                exec: {service: app, command: "grep -q 1.1.0 /var/www/index.html"}
            """);

        var run = await _ws.RunAsync("Recipe", "ctbasebad", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctbasebad", run));
        var r = _ws.Results("ctbasebad");
        Assert.Equal(Verdict.BaselineBroken, r.Verdict);
        Assert.StartsWith("AwaitBaseConvergence: base 1.0.0+1 did not converge", r.Reason);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.ColdInstallHead).Status);
        Assert.Equal("not run: AwaitBaseConvergence was baseline_broken", r.Stages.Single(s => s.Stage == StageId.ChaosRedeploy).Reason);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Upgrade]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Custom]);
        Assert.Equal(1, r.Level);
        Assert.Equal(["the head answers"], r.Stages.Single(s => s.Stage == StageId.CustomChecks).Checks.Select(c => c.Name));
        var timeline = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("ctbasebad"), TimelineFile.FileName));
        Assert.Contains("base baseline_broken: install the head cold for install,backup_restore,custom", timeline);
        var page = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("ctbasebad"), RunPage.FileName));
        Assert.Contains("judged: the head installed cold (ColdInstallHead)", page);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task A_head_listening_on_another_port_than_its_healthcheck_asks_is_red_at_its_first_failed_task_when_installed_cold()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctport", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1"),
            new TestRelease("1.1.0+2") { ListensOn = 8080, Message = "listen on 8080" }));

        var run = await _ws.RunAsync("Recipe", "ctport", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctport", run));
        var r = _ws.Results("ctport");
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        var rollback = r.Stages.Single(s => s.Stage == StageId.AwaitHeadConvergence);
        Assert.Equal(("app", Swarm.FailureCategory.HealthcheckFailing), (rollback.Failure?.Service, rollback.Failure?.Category));
        var cold = r.Stages.Single(s => s.Stage == StageId.ColdInstallHead);
        output.WriteLine($"rollback judged in {rollback.DurationS:0.0}s, cold install red in {cold.DurationS:0.0}s");
        Assert.True(cold.Reason?.Contains("failed as the upgrade's did before swarm rolled it back (healthcheck failing)") == true,
            $"cold install {cold.Status} after {cold.DurationS:0.0}s: {cold.Reason}");
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task After_a_failed_restore_the_end_checks_still_run_on_the_head_installed_afresh()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctrestore", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryLiveFolder }),
            TestRecipe.MemoryDbMarker);
        await WriteChecksAsync("ctrestore", """
            checks:
              - name: the app answers
                http: {service: app, contains: "1.0.0"}
            """);

        var run = await _ws.RunAsync("Recipe", "ctrestore", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctrestore", run));
        var r = _ws.Results("ctrestore");
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.StartsWith("VerifyMarker:", r.Reason);
        var reinstall = r.Stages.Single(s => s.Stage == StageId.ReinstallHead);
        Assert.True(reinstall.Status == StageStatus.Passed, $"{reinstall.Status}: {reinstall.Reason}");
        Assert.True(IndexOf(r, "VerifyMarker") < IndexOf(r, "ReinstallHead") && IndexOf(r, "ReinstallHead") < IndexOf(r, "CustomChecks"));
        var checks = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.Equal(StageStatus.Passed, checks.Status);
        Assert.Equal(["the app answers"], checks.Checks.Select(c => c.Name));
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Custom]);
        var page = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("ctrestore"), RunPage.FileName));
        Assert.Contains("judged: the head installed cold again after backup/restore failed (ReinstallHead)", page);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Checks_run_at_their_after_moment_each_a_junit_testcase()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("ctmoments", TestRecipe.History(
                new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump },
                new TestRelease("1.1.0+2") { Db = TestDb.MemoryWithDump }),
            TestRecipe.MemoryDbMarker);
        await _ws.WriteScriptAsync(Path.Combine("tests", "ctmoments", "rows-kept.sh"), "#!/bin/sh\nexit 0\n");
        await WriteChecksAsync("ctmoments", """
            checks:
              - name: base before the upgrade
                exec: {service: app, command: "grep -q 1.0.0 /var/www/index.html"}
                after: install
              - name: head after the upgrade
                exec: {service: app, command: "grep -q 1.1.0 /var/www/index.html"}
                after: upgrade
              - script: rows-kept.sh
                after: restore
              - name: head at the end
                http: {service: app, contains: "1.1.0"}
            """);

        var run = await _ws.RunAsync("Recipe", "ctmoments", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctmoments", run));
        var r = _ws.Results("ctmoments");
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Custom]);
        Assert.Null(r.Stages.SingleOrDefault(s => s.Stage == StageId.ColdInstallHead && s.Status != StageStatus.Skipped));
        var order = new[] { "AwaitBaseHealthy", "CustomChecksAfterInstall", "ChaosRedeploy", "VerifyUpgradeMarker", "CustomChecksAfterUpgrade", "Backup", "VerifyMarker", "CustomChecksAfterRestore", "CustomChecks" };
        Assert.Equal(order.Select(s => IndexOf(r, s)).Order(), order.Select(s => IndexOf(r, s)));
        Assert.DoesNotContain(-1, order.Select(s => IndexOf(r, s)));

        var junit = XDocument.Load(Path.Combine(_ws.RunDir("ctmoments"), JUnitWriter.FileName));
        var cases = junit.Descendants("testcase").Select(c => ((string?)c.Attribute("classname"), (string?)c.Attribute("name"))).ToList();
        Assert.Contains(("ctmoments.recipe.CustomChecksAfterInstall", "base before the upgrade"), cases);
        Assert.Contains(("ctmoments.recipe.CustomChecksAfterUpgrade", "head after the upgrade"), cases);
        Assert.Contains(("ctmoments.recipe.CustomChecksAfterRestore", "rows-kept.sh"), cases);
        Assert.Contains(("ctmoments.recipe.CustomChecks", "head at the end"), cases);
    }

    public void Dispose() => _ws.Dispose();
}
