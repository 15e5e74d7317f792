using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// A recipe with a one-shot migration job that the head changes: the job's new task does its work
/// and exits 0 inside the update monitor, which makes swarm pause its update. The upgrade passed.
/// </summary>
public sealed class OneShotUpgradeTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>A job (restart condition none) that runs for a second, well inside its 5 s monitor; failure_action is compose's default, pause.</summary>
    private static string Migration(string version) => $$"""
          migrate:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "echo migrating to {{version}}; sleep 1"]
            deploy:
              restart_policy:
                condition: none
              update_config:
                monitor: 5s
        """;

    [Fact]
    public async Task Upgrade_whose_migration_job_completed_inside_the_monitor_passes()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("oneshot", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1") { ExtraServices = Migration("1.0.0+1") },
            new TestRelease("1.1.0+2") { ExtraServices = Migration("1.1.0+2"), Message = "migrate again" }));

        var run = await _ws.RunAsync("Upgrade", "oneshot", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("oneshot", run));
        var r = _ws.Results("oneshot");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.AwaitHeadConvergence).Status);
        var convergence = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(_ws.StageDir("oneshot", StageId.AwaitHeadConvergence), "convergence.json")));
        var migrate = convergence["services"]!.Single(s => (string?)s["service"] == "migrate");
        Assert.Equal("paused", (string?)migrate["update_state"]);            // swarm did pause it: the case this test is about
        Assert.StartsWith("one-shot: 1/1 complete", (string?)migrate["detail"]);
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
