using RecipeCi.Bridge;
using RecipeCi.Forge;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>Publish --post against the fake forge: one comment per recipe, the status on the tested commit, a forge that is down only said.</summary>
public sealed class BridgePostTests : IDisposable
{
    private const string Tested = "38e5da74bccde114a035f4327e5826081e006a90";
    private static readonly ForgeRepository Repo = new("coop", "hello");
    private readonly FakeForge _forge = new();
    private readonly List<string> _said = [];

    private ResultPoster Poster() =>
        new(GiteaClient.Create(new Uri(_forge.Url), _forge.GiteaToken, new Redactor(), _said.Add, new RetryPlan(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5))), _forge.Bot, _said.Add);

    private static CommitStatus Status(string state) => new(state, "recipe-ci/hello", $"L1 {state}", "https://ci.example.org/runs/r1/hello/report.html");

    [Fact]
    public async Task The_recipes_one_comment_is_created_then_edited_and_the_status_goes_on_the_tested_commit()
    {
        _forge.AddPull("coop/hello", 7, Tested);
        _forge.Comment("coop/hello", 7, "alice", PrComment.Marker("hello") + " quoted by a person, not the bot's");
        _forge.Comment("coop/hello", 7, _forge.Bot, PrComment.Marker("other") + "\nanother recipe's result");

        Assert.True(await Poster().PostAsync(Repo, 7, "hello", Tested, PrComment.Marker("hello") + "\nfirst", Status("failure"), CancellationToken.None));
        Assert.True(await Poster().PostAsync(Repo, 7, "hello", Tested, PrComment.Marker("hello") + "\nsecond", Status("success"), CancellationToken.None));

        var ours = Assert.Single(_forge.CommentsOn("coop/hello", 7), c => c.User == _forge.Bot && c.Body.StartsWith(PrComment.Marker("hello"), StringComparison.Ordinal));
        Assert.EndsWith("second", ours.Body);
        Assert.Equal(3, _forge.CommentsOn("coop/hello", 7).Count);
        Assert.Equal([("failure", Tested), ("success", Tested)], _forge.Statuses.Select(s => (s.State, s.Sha)));
        Assert.Equal("https://ci.example.org/runs/r1/hello/report.html", _forge.Statuses[^1].TargetUrl);
    }

    [Fact]
    public async Task When_the_head_moved_the_comment_names_the_tested_commit_and_the_status_stays_on_it()
    {
        _forge.AddPull("coop/hello", 7, Tested);
        _forge.AddPull("coop/hello", 7, "9999999999999999999999999999999999999999");

        await Poster().PostAsync(Repo, 7, "hello", Tested, PrComment.Marker("hello") + "\nresult", Status("success"), CancellationToken.None);

        Assert.Contains($"**Tested commit:** `{Tested}`. The pull request's head has moved to `9999999999999999999999999999999999999999`",
            Assert.Single(_forge.CommentsOn("coop/hello", 7)).Body);
        Assert.Empty(_forge.Statuses);   // the fake knows only the new head: posting on the old one answered 500, and was said
        Assert.Contains(_said, s => s.StartsWith("could not post to coop/hello#7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forge_that_is_down_is_said_and_never_thrown()
    {
        _forge.AddPull("coop/hello", 7, Tested);
        _forge.Fail(_ => true, 502, 1000);

        Assert.False(await Poster().PostAsync(Repo, 7, "hello", Tested, "x", Status("success"), CancellationToken.None));

        Assert.Contains("The run's verdict and exit code stand", _said[^1]);
    }

    [Fact]
    public void A_bad_input_comment_holds_the_message_in_one_block_that_a_ref_name_cannot_close()
    {
        var comment = PrComment.BadInput("hello", "--ref=x```y is not in /r (recipes.yaml:3: recipes.hello.mirror); nearest refs: main. Fix: pass --ref=<a commit>", _ => null);
        Assert.StartsWith(PrComment.Marker("hello") + "\n### Recipe CI: hello ERROR, no verdict: bad input", comment);
        Assert.EndsWith("\n```\n--ref=x'''y is not in /r (recipes.yaml:3: recipes.hello.mirror); nearest refs: main. Fix: pass --ref=<a commit>\n```\n", comment);
        Assert.Equal(2, comment.Split("```").Length - 1);
    }

    [Fact]
    public void A_red_runs_comment_names_its_short_cause()
    {
        var run = new RunResult
        {
            RunId = "r1", Recipe = "hello", Verdict = Verdict.RolledBack, Level = 1, Reason = "AwaitHeadConvergence: swarm rolled the head back: app: task failed",
            Stages = [new StageResult { Name = "AwaitHeadConvergence", Rung = Rung.Upgrade, Status = StageStatus.RolledBack, Reason = "swarm rolled the head back: app: task failed" }],
        };

        Assert.Contains("**Cause:** upgrade rolled back: swarm rolled the head back", PrComment.Render(run, false, _ => null));
        Assert.DoesNotContain("**Cause:**", PrComment.Render(new RunResult { Recipe = "hello", Verdict = Verdict.Passed }, false, _ => null));
    }

    public void Dispose() => _forge.Dispose();
}
