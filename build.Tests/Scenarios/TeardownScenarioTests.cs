using Newtonsoft.Json.Linq;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;
using Xunit.Abstractions;

namespace RecipeCi.Tests.Scenarios;

public sealed class TeardownScenarioTests(ITestOutputHelper output) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Teardown_kills_containers_that_ignore_SIGTERM_instead_of_waiting_their_grace_period()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("swterm", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { IgnoresTerm = true }));

        var run = await _ws.RunAsync("Install", "swterm", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("swterm", run));
        var r = _ws.Results("swterm");
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.Teardown).Status);
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));

        // The containers were killed by the harness (docker rm --force), not stopped by swarm after their grace period.
        var teardown = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("swterm", StageId.Teardown), "teardown.json")));
        var killed = (teardown["killed"]?.Values<string>() ?? []).Where(k => k!.StartsWith("container:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(killed);
        var commands = _ws.StageJson("swterm", StageId.Teardown)["commands"]!.ToObject<List<JObject>>()!;
        var kills = commands.Where(c => ((string)c["command"]!).StartsWith("docker rm --force", StringComparison.Ordinal)).ToList();
        Assert.All(killed, k => Assert.Contains(kills, c => ((string)c["command"]!).Contains(k!["container:".Length..], StringComparison.Ordinal)));

        // Evidence, not an assertion: when each removal command started and how long it took.
        var first = (DateTimeOffset)commands[0]["started_at"]!;
        foreach (var c in commands)
            output.WriteLine($"+{((DateTimeOffset)c["started_at"]! - first).TotalSeconds,6:0.00}s {(double)c["duration_s"]!,6:0.00}s  {c["command"]}");
        output.WriteLine($"Teardown took {r.Stages.Single(s => s.Stage == StageId.Teardown).DurationS:0.00}s");
    }

    public void Dispose() => _ws.Dispose();
}
