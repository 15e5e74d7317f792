using System.Net;
using RecipeCi.Forge;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>The Gitea and Drone clients against the fake forge: paths, fields, paging, retries and what is reported.</summary>
public sealed class ForgeClientTests : IDisposable
{
    private static readonly ForgeRepository Repo = new("coop", "hello");
    private const string Head = "38e5da74bccde114a035f4327e5826081e006a90";
    private readonly FakeForge _forge = new();
    private readonly List<string> _said = [];
    private readonly Redactor _redactor = new();
    private static readonly RetryPlan Fast = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));

    private GiteaClient Gitea(string? token = null) => GiteaClient.Create(new Uri(_forge.Url), token ?? _forge.GiteaToken, _redactor, _said.Add, Fast);
    private DroneClient Drone() => DroneClient.Create(new Uri(_forge.Url), _forge.DroneToken, _redactor, _said.Add, Fast);

    [Fact]
    public async Task Repo_comments_come_page_by_page_since_a_time_with_their_pull_request_and_edit_read()
    {
        _forge.AddPull("coop/hello", 7, Head);
        var first = _forge.Comment("coop/hello", 7, "alice", "!testme");
        for (var i = 0; i < 60; i++) _forge.Comment("coop/hello", 7, "bob", $"comment {i}");
        _forge.Comment("coop/hello", 3, "carol", "an issue", onPull: false);
        _forge.Edit(first, "!testme --quick");

        var all = await Gitea().RepoCommentsSinceAsync(Repo, null, CancellationToken.None);

        Assert.Equal(62, all.Count);
        Assert.Equal(2, _forge.Requests.Count(r => r.Path == "/api/v1/repos/coop/hello/issues/comments"));
        Assert.All(_forge.Requests, r => Assert.Equal("50", r.Query["limit"]));
        var alice = all.Single(c => c.Id == first.Id);
        Assert.Equal((7, "alice", "!testme --quick", true), (alice.PullRequest, alice.User?.Login, alice.Body, alice.Edited));
        Assert.Null(all.Single(c => c.User?.Login == "carol").PullRequest);
        Assert.False(all.First(c => c.User?.Login == "bob").Edited);

        var later = await Gitea().RepoCommentsSinceAsync(Repo, first.Updated, CancellationToken.None);
        Assert.Contains(later, c => c.Id == first.Id);
        Assert.Equal(first.Updated.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture), _forge.Requests[^1].Query["since"]);
    }

    [Fact]
    public async Task Comments_are_created_and_edited_and_a_second_identical_reaction_is_no_error()
    {
        _forge.AddPull("coop/hello", 7, Head);
        var trigger = _forge.Comment("coop/hello", 7, "alice", "!testme");
        var gitea = Gitea();

        var made = await gitea.CreateCommentAsync(Repo, 7, "first", CancellationToken.None);
        var edited = await gitea.EditCommentAsync(Repo, made.Id, "second", CancellationToken.None);
        await gitea.ReactAsync(Repo, trigger.Id, "eyes", CancellationToken.None);
        await gitea.ReactAsync(Repo, trigger.Id, "eyes", CancellationToken.None);

        Assert.Equal((made.Id, "second", _forge.Bot), (edited.Id, edited.Body, edited.User?.Login));
        Assert.Equal("second", Assert.Single(_forge.CommentsOn("coop/hello", 7), c => c.User == _forge.Bot).Body);
        Assert.Equal([201, 200], _forge.Requests.Where(r => r.Path.EndsWith("/reactions", StringComparison.Ordinal)).Select(r => r.Answer));
        Assert.Equal(7, (await gitea.PullCommentsAsync(Repo, 7, CancellationToken.None)).Select(c => c.PullRequest).Distinct().Single());
    }

    [Fact]
    public async Task A_status_is_posted_with_gitea_field_names_on_the_commit()
    {
        _forge.AddPull("coop/hello", 7, Head);

        await Gitea().SetStatusAsync(Repo, Head, new StatusOption(StatusState.Pending, "recipe-ci/hello", "queued", "https://drone/x/1"), CancellationToken.None);

        var sent = _forge.Requests.Single();
        Assert.Equal($"/api/v1/repos/coop/hello/statuses/{Head}", sent.Path);
        Assert.Equal("pending", (string?)sent.Json["state"]);
        Assert.Equal("https://drone/x/1", (string?)sent.Json["target_url"]);
        Assert.Equal(new FakeStatus("coop/hello", Head, "pending", "recipe-ci/hello", "queued", "https://drone/x/1"), Assert.Single(_forge.Statuses));
    }

    [Fact]
    public async Task Three_502s_are_retried_with_backoff_and_the_fourth_attempt_posts_the_status()
    {
        _forge.AddPull("coop/hello", 7, Head);
        _forge.Fail(r => r.Path.Contains("/statuses/", StringComparison.Ordinal), 502, 3);

        await Gitea().SetStatusAsync(Repo, Head, new StatusOption(StatusState.Success, "recipe-ci/hello", "L5 passed", null), CancellationToken.None);

        Assert.Equal([502, 502, 502, 201], _forge.Requests.Select(r => r.Answer));
        Assert.Single(_forge.Statuses);
        Assert.Equal(3, _said.Count(s => s.StartsWith("Gitea answered 502; retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_forge_that_stays_down_is_a_transient_failure_after_the_retries()
    {
        _forge.AddPull("coop/hello", 7, Head);
        _forge.Fail(_ => true, 503, 100);

        var ex = await Assert.ThrowsAsync<ForgeException>(() => Gitea().PullAsync(Repo, 7, CancellationToken.None));

        Assert.True(ex.Transient);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Equal(4, _forge.Requests.Count);
    }

    [Fact]
    public async Task A_closed_port_is_a_transient_failure_too()
    {
        var url = _forge.Url;
        _forge.Dispose();
        var gitea = GiteaClient.Create(new Uri(url), "t0ken-value", _redactor, _said.Add, Fast);

        var ex = await Assert.ThrowsAsync<ForgeException>(() => gitea.PullAsync(Repo, 7, CancellationToken.None));

        Assert.True(ex.Transient);
        Assert.Null(ex.Status);
        Assert.Equal(3, _said.Count);
    }

    [Fact]
    public async Task A_4xx_is_not_retried_and_carries_the_forges_own_message()
    {
        _forge.AddPull("coop/hello", 7, Head);
        var comment = _forge.Comment("coop/hello", 7, "alice", "!testme");

        var refused = await Assert.ThrowsAsync<ForgeException>(() => Gitea().ReactAsync(Repo, comment.Id, "thumbsup", CancellationToken.None));
        var unauthorised = await Assert.ThrowsAsync<ForgeException>(() => Gitea("wrong-token-value").PullAsync(Repo, 7, CancellationToken.None));

        Assert.False(refused.Transient);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.EndsWith("'thumbsup' is not an allowed reaction", refused.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.Status);
        Assert.Contains("token is required", unauthorised.Message);
        Assert.Equal(2, _forge.Requests.Count);
        Assert.Empty(_said);
    }

    [Fact]
    public async Task Membership_is_204_404_or_unreadable_and_the_permission_check_is_refused_to_a_bot_that_is_no_admin()
    {
        _forge.AddMember("coop", _forge.Bot);
        _forge.AddMember("coop", "alice");
        var gitea = Gitea();

        Assert.Equal(Membership.Member, await gitea.MembershipAsync("coop", "alice", CancellationToken.None));
        Assert.Equal(Membership.NotMember, await gitea.MembershipAsync("coop", "mallory", CancellationToken.None));
        Assert.Equal(Membership.Unreadable, await gitea.MembershipAsync("elsewhere", "alice", CancellationToken.None));

        _forge.SetPermission("coop/hello", "dora", "write");
        var ex = await Assert.ThrowsAsync<ForgeException>(() => gitea.PermissionAsync(Repo, "dora", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, ex.Status);
        _forge.BotIsAdmin = true;
        Assert.True((await gitea.PermissionAsync(Repo, "dora", CancellationToken.None)).CanWrite);
        Assert.False((await gitea.PermissionAsync(Repo, "erin", CancellationToken.None)).CanWrite);
    }

    [Fact]
    public async Task Drone_builds_take_their_parameters_from_the_query_and_no_pipeline_is_null()
    {
        var drone = Drone();
        var ops = new ForgeRepository("ops", "recipe-ci");

        var build = await drone.CreateBuildAsync(ops, new Dictionary<string, string> { ["RECIPE"] = "hello", ["PR"] = "7", ["REF"] = Head, ["STAGES"] = "install,upgrade" }, null, CancellationToken.None);

        Assert.NotNull(build);
        Assert.Equal((1L, DroneStatus.Pending, "custom"), (build.Number, build.Status, build.Event));
        Assert.Equal(new Dictionary<string, string> { ["RECIPE"] = "hello", ["PR"] = "7", ["REF"] = Head, ["STAGES"] = "install,upgrade" }, build.Params);
        Assert.False((await drone.BuildAsync(ops, 1, CancellationToken.None)).Done);
        Assert.Equal("https://drone.example.org/ops/recipe-ci/1", DroneClient.BuildPage(new Uri("https://drone.example.org/"), ops, 1));
        _forge.NoPipeline = true;
        Assert.Null(await drone.CreateBuildAsync(ops, new Dictionary<string, string> { ["RECIPE"] = "hello" }, null, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => { _ = drone.CreateBuildAsync(ops, new Dictionary<string, string> { ["commit"] = Head }, null, CancellationToken.None); });
    }

    [Fact]
    public void Tokens_come_from_the_variable_or_its_file_and_are_redacted_from_then_on()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret-from-a-file\n");
            var fromFile = new ForgeSecrets(n => n == "RECIPE_CI_FORGE_TOKEN_FILE" ? file : null, _redactor).Read("RECIPE_CI_FORGE_TOKEN");
            var direct = new ForgeSecrets(n => n == "RECIPE_CI_DRONE_TOKEN" ? "s3cret-direct" : null, _redactor).Read("RECIPE_CI_DRONE_TOKEN");

            Assert.Equal(("s3cret-from-a-file", "s3cret-direct"), (fromFile, direct));
            Assert.Equal("token [REDACTED] and [REDACTED]", _redactor.Redact("token s3cret-from-a-file and s3cret-direct"));
            Assert.Null(new ForgeSecrets(_ => null, _redactor).Read("RECIPE_CI_NOTHING"));
            var missing = Assert.Throws<Verdicts.BadInputException>(() => new ForgeSecrets(_ => null, _redactor).Require("RECIPE_CI_NOTHING", "The bridge"));
            Assert.Contains("RECIPE_CI_NOTHING_FILE", missing.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public void Dispose() => _forge.Dispose();
}
