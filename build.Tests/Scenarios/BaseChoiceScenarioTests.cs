using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// FetchRecipe's base choice on a real repository, through Recipe --stages=lint (no deploy, and
/// lint is verdict-neutral there, so only the fetch decides the exit code): the tag on
/// the head's own commit is passed over, and a requested base the head does not descend from fails
/// the run; both say why in the stage's console and git.txt.
/// </summary>
public sealed class BaseChoiceScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    private async Task<string> AddReleasedHeadAsync(string name)
    {
        var repo = await _ws.AddRecipeAsync(name, TestRecipe.History(
            new TestRelease("1.0.2+1.0.2", "v1.0.2"), new TestRelease("1.0.3+1.0.3", "v1.0.3")));
        // A newer release on a commit that descends from the head: never a base for it.
        var newer = await _ws.GitAsync(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "newer");
        await _ws.GitAsync(repo, "tag", "1.1.0+1.1.0", newer);
        return repo;
    }

    private string FetchFile(string recipe, string file) => File.ReadAllText(Path.Combine(_ws.StageDir(recipe, StageId.FetchRecipe), file));

    [Fact]
    public async Task Head_carrying_its_release_tag_takes_the_previous_release_as_base()
    {
        await LocalSwarm.EnsureAsync();
        await AddReleasedHeadAsync("basetag");

        var run = await _ws.RunAsync("Recipe", "basetag", "--abra=local", "--stages=lint");

        Assert.True(run.ExitCode == 0, _ws.Explain("basetag", run));
        Assert.Equal("v1.0.2", _ws.Results("basetag").BaseVersion);
        foreach (var file in new[] { "console.log", "git.txt" })
        {
            var text = FetchFile("basetag", file);
            Assert.Matches(@"tag v1\.0\.3 \([0-9a-f]{12}\): passed over: on the head's own commit", text);
            Assert.Matches(@"tag v1\.0\.2 \([0-9a-f]{12}\): chosen", text);
            Assert.Matches(@"tag 1\.1\.0\+1\.1\.0 \([0-9a-f]{12}\): passed over: not an ancestor of the head", text);
            Assert.Matches(@"head [0-9a-f]{12} declares 1\.0\.3\+1\.0\.3", text);
        }
    }

    [Fact]
    public async Task Requested_base_the_head_does_not_descend_from_fails_the_fetch()
    {
        await LocalSwarm.EnsureAsync();
        await AddReleasedHeadAsync("basebad");

        var run = await _ws.RunAsync("Recipe", "basebad", "--abra=local", "--stages=lint", "--base=1.1.0+1.1.0");

        Assert.True(run.ExitCode == 1, _ws.Explain("basebad", run));
        var fetch = _ws.Results("basebad").Stages.Single(s => s.Stage == StageId.FetchRecipe);
        Assert.Equal(StageStatus.Failed, fetch.Status);
        Assert.StartsWith("base '1.1.0+1.1.0' is not an ancestor of the head", fetch.Reason);
        Assert.Contains("descends from (v1.0.2)", fetch.Reason);
        Assert.Contains("git.txt", fetch.Evidence);
        Assert.Contains("passed over: not an ancestor of the head", FetchFile("basebad", "git.txt"));
    }

    public void Dispose() => _ws.Dispose();
}
