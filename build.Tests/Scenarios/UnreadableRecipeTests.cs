using RecipeCi.Results;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// A head without a (valid) compose.yml: Lint reports L000, the one finding that matters, instead
/// of FetchRecipe failing the run before lint can say it; a deploying target stops at FetchRecipe
/// with a reason that names L000. Nothing here touches the swarm.
/// </summary>
public sealed class UnreadableRecipeTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>A release, then a head whose files are <paramref name="head"/> only.</summary>
    private static RecipeHistory Broken(Dictionary<string, string> head)
    {
        var release = TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"));
        return new RecipeHistory([.. release.Commits, new HistoryCommit("feat: break it", null, head)]);
    }

    [Fact]
    public async Task Lint_of_a_head_without_compose_yml_reports_L000()
    {
        await _ws.AddRecipeAsync("nocomp", Broken(new() { ["README.md"] = "# gone\n", [".env.sample"] = "TYPE=nocomp\n" }));

        var run = await _ws.RunAsync("Lint", "nocomp");

        Assert.True(run.ExitCode == 1, _ws.Explain("nocomp", run));
        var r = _ws.Results("nocomp");
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.FetchRecipe).Status);
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.Contains("L000 compose-invalid at compose.yml", r.Stages.Single(s => s.Stage == StageId.LintRecipe).Reason);
    }

    [Fact]
    public async Task Lint_of_invalid_yaml_reports_L000_with_the_parsers_line_and_a_deploy_stops_at_fetch_naming_it()
    {
        await _ws.AddRecipeAsync("badyml", Broken(new() { ["compose.yml"] = "services:\n  app:\n    image: [unclosed\n", [".env.sample"] = "TYPE=badyml\n" }));

        var lint = await _ws.RunAsync("Lint", "badyml");

        Assert.True(lint.ExitCode == 1, _ws.Explain("badyml", lint));
        var reason = _ws.Results("badyml").Stages.Single(s => s.Stage == StageId.LintRecipe).Reason;
        Assert.Matches(@"L000 compose-invalid at compose\.yml:\d", reason);

        var upgrade = await _ws.RunAsync("Upgrade", "badyml", "--run-id=badyml-upgrade");
        Assert.Equal(1, upgrade.ExitCode);
        var fetch = _ws.Results("badyml-upgrade", "badyml").Stages.Single(s => s.Stage == StageId.FetchRecipe);
        Assert.Equal(StageStatus.Failed, fetch.Status);
        Assert.StartsWith("L000 compose-invalid: compose.yml at ", fetch.Reason);
    }

    public void Dispose() => _ws.Dispose();
}
