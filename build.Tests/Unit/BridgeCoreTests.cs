using Newtonsoft.Json.Linq;
using RecipeCi.Bridge;
using RecipeCi.Files;
using RecipeCi.Forge;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>The bridge's decisions, pure, over comments recorded as Gitea's API gives them.</summary>
public sealed class BridgeDecisionTests
{
    private static readonly ForgeRepository Repo = new("coop", "hello");

    public static TheoryData<string> Cases() => [.. Fixture().Select(c => (string)c["case"]!)];

    private static JArray Fixture() => JArray.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "build.Tests", "Fixtures", "Bridge", "comments.json")));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recorded_comments_are_judged(string name)
    {
        var fixture = (JObject)Fixture().Single(c => (string)c["case"]! == name);
        var comment = fixture["comment"]!.ToObject<GiteaComment>(Newtonsoft.Json.JsonSerializer.Create(JsonConvention.Settings))!;
        var polled = SeenComment.Polled(Repo, comment);
        var seen = (string?)fixture["action"] is { } action ? polled with { Action = EnumWordsOf(action) } : polled;

        var (disposition, mode) = CommentJudge.Judge(seen, "recipe-ci-bot", (bool)fixture["seen"]!);

        Assert.Equal((string)fixture["expect"]!, Verdicts.EnumWords.Word(disposition));
        Assert.Equal((string?)fixture["mode"], mode is { } m ? m.ToString().ToLowerInvariant() : null);
    }

    private static CommentAction EnumWordsOf(string action) => Verdicts.EnumWords.Parse<CommentAction>(action) ?? throw new ArgumentException(action);

    [Fact]
    public void Members_writers_and_the_allowlist_may_trigger_and_a_refused_permission_check_is_no_answer()
    {
        AuthorityVerdict Decide(bool allow, Membership? m, string? permission, bool refused) =>
            Authority.Decide("dora", Repo, new AuthorityFacts(allow, m, permission is null ? null : new GiteaPermission(permission, permission), refused));

        Assert.True(Decide(true, null, null, false).Allowed);
        Assert.Equal("dora is a member of coop", Decide(false, Membership.Member, null, false).Why);
        Assert.True(Decide(false, Membership.NotMember, "write", false).Allowed);
        Assert.True(Decide(false, Membership.NotMember, "owner", false).Allowed);
        Assert.False(Decide(false, Membership.NotMember, "read", false).Allowed);

        var refused = Decide(false, Membership.NotMember, null, true);
        Assert.False(refused.Allowed);
        Assert.Equal("dora may not trigger: not a member of coop; the forge answers the permission check to admins only", refused.Why);
        Assert.Contains("make it a member", Decide(false, Membership.Unreadable, null, true).Why);
    }
}

/// <summary>The bridge against the fake forge, in this process: the seen-set, restarts, pending triggers, replies.</summary>
public sealed class BridgeCoreTests : IDisposable
{
    private const string Head = "38e5da74bccde114a035f4327e5826081e006a90";
    private const string RepoName = "coop/hello";
    private readonly FakeForge _forge = new();
    private readonly string _state = Directory.CreateTempSubdirectory("recipe-ci-bridge-").FullName;
    private readonly List<string> _said = [];
    private static readonly RetryPlan Fast = new(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5));

    public BridgeCoreTests()
    {
        _forge.AddPull(RepoName, 7, Head);
        _forge.AddMember("coop", _forge.Bot);
        _forge.AddMember("coop", "alice");
    }

    private CommentBridge NewBridge()
    {
        var redactor = new Redactor();
        var gitea = GiteaClient.Create(new Uri(_forge.Url), _forge.GiteaToken, redactor, _said.Add, Fast);
        var drone = DroneClient.Create(new Uri(_forge.Url), _forge.DroneToken, redactor, _said.Add, Fast);
        var recipes = Catalog.Parse($"recipes:\n  hello:\n    repository: x\n    forge: {RepoName}\n  other:\n    repository: y\n", "r.yaml").Recipes;
        return new CommentBridge(gitea, new DroneStarter(drone, new Uri(_forge.Url), new ForgeRepository("ops", "recipe-ci")), recipes, _forge.Bot,
            new HashSet<string> { "guest" }, _state, _said.Add);
    }

    private string Said => string.Join("\n", _said) + "\n--- requests:\n" + _forge.Log();

    [Fact]
    public async Task The_first_poll_marks_what_is_there_as_seen_and_a_later_testme_is_acknowledged_then_built_on_the_head()
    {
        _forge.Comment(RepoName, 7, "alice", "!testme");
        var bridge = NewBridge();

        await bridge.PollAsync(CancellationToken.None);
        Assert.Empty(_forge.Builds);

        var trigger = _forge.Comment(RepoName, 7, "alice", "!testme --quick");
        await bridge.PollAsync(CancellationToken.None);

        var build = Assert.Single(_forge.Builds);
        Assert.Equal(new Dictionary<string, string> { ["RECIPE"] = "hello", ["PR"] = "7", ["REF"] = Head, ["STAGES"] = "install,upgrade" }, build.Params);
        Assert.Equal((trigger.Id, _forge.Bot, CommentBridge.Reaction), Assert.Single(_forge.ReactionsGiven));
        Assert.Equal(["pending", "pending"], _forge.Statuses.Select(s => s.State));
        Assert.All(_forge.Statuses, s => Assert.Equal(("recipe-ci/hello/quick", Head), (s.Context, s.Sha)));
        Assert.Equal($"{_forge.Url}/ops/recipe-ci/1", _forge.Statuses[^1].TargetUrl);
        Assert.Empty(bridge.State.Pending);
        // The reaction and the first pending status come before the build is asked for.
        var order = _forge.Requests.Select(r => r.Path).ToList();
        Assert.True(order.FindIndex(p => p.EndsWith("/reactions", StringComparison.Ordinal)) < order.FindIndex(p => p.EndsWith("/builds", StringComparison.Ordinal)), Said);
    }

    [Fact]
    public async Task A_restarted_bridge_replays_nothing_and_loses_nothing()
    {
        await NewBridge().PollAsync(CancellationToken.None);
        _forge.Comment(RepoName, 7, "alice", "!testme");
        await NewBridge().PollAsync(CancellationToken.None);
        Assert.Single(_forge.Builds);

        // Down between two polls: a comment made meanwhile is handled by the next bridge, once.
        _forge.Comment(RepoName, 7, "alice", "!testme");
        var restarted = NewBridge();
        await restarted.PollAsync(CancellationToken.None);
        await restarted.PollAsync(CancellationToken.None);
        await NewBridge().PollAsync(CancellationToken.None);

        Assert.Equal(2, _forge.Builds.Count);
        Assert.True(File.Exists(BridgeState.PathIn(_state)));
    }

    [Fact]
    public async Task A_trigger_is_kept_while_drone_is_down_and_built_once_when_it_is_back()
    {
        var bridge = NewBridge();
        await bridge.PollAsync(CancellationToken.None);
        _forge.Comment(RepoName, 7, "alice", "!testme");
        _forge.Fail(r => r.Path.EndsWith("/builds", StringComparison.Ordinal), 502, 3);

        await bridge.PollAsync(CancellationToken.None);

        Assert.Empty(_forge.Builds);
        var kept = Assert.Single(BridgeState.Load(_state).Pending);
        Assert.Equal((TriggerStep.Acknowledged, 1), (kept.Step, kept.Tries));
        Assert.Contains("Drone answered 502", kept.LastError);

        await NewBridge().PollAsync(CancellationToken.None);

        Assert.Single(_forge.Builds);
        Assert.Empty(BridgeState.Load(_state).Pending);
        Assert.Single(_forge.ReactionsGiven);
    }

    [Fact]
    public async Task Someone_who_may_not_trigger_gets_no_build_and_one_reply_per_pull_request()
    {
        var bridge = NewBridge();
        await bridge.PollAsync(CancellationToken.None);
        _forge.Comment(RepoName, 7, "mallory", "!testme");
        _forge.Comment(RepoName, 7, "mallory", "!testme --quick");
        var guest = _forge.Comment(RepoName, 7, "guest", "!testme");

        await bridge.PollAsync(CancellationToken.None);

        var reply = Assert.Single(_forge.CommentsOn(RepoName, 7), c => c.User == _forge.Bot);
        Assert.StartsWith("@mallory: Recipe CI runs on `!testme` only for members of the coop organisation", reply.Body);
        Assert.Single(_forge.Builds);
        Assert.Equal(guest.Id, Assert.Single(_forge.ReactionsGiven).Comment);
        Assert.Equal(2, _said.Count(s => s.Contains("mallory may not trigger: not a member of coop; the forge answers the permission check to admins only", StringComparison.Ordinal)));
        // The bot's reply is its own comment: the next poll does not read it as anything.
        await bridge.PollAsync(CancellationToken.None);
        Assert.Single(_forge.Builds);
    }

    [Fact]
    public async Task A_webhook_delivery_and_the_poll_share_one_seen_set()
    {
        var bridge = NewBridge();
        await bridge.PollAsync(CancellationToken.None);
        var c = _forge.Comment(RepoName, 7, "alice", "!testme");
        var seen = new SeenComment(new ForgeRepository("coop", "hello"), c.Id, 7, "alice", "!testme", CommentAction.Created);

        Assert.Equal(Disposition.Trigger, bridge.Accept(seen));
        Assert.Equal(Disposition.AlreadySeen, bridge.Accept(seen));
        await bridge.PollAsync(CancellationToken.None);

        Assert.Single(_forge.Builds);
    }

    [Fact]
    public async Task A_closed_pull_request_and_a_drone_without_the_pipeline_start_nothing_and_the_latter_says_so_on_the_commit()
    {
        var bridge = NewBridge();
        await bridge.PollAsync(CancellationToken.None);
        _forge.AddPull(RepoName, 8, "1111111111111111111111111111111111111111").State = "closed";
        _forge.Comment(RepoName, 8, "alice", "!testme");
        _forge.NoPipeline = true;
        _forge.Comment(RepoName, 7, "alice", "!testme");

        await bridge.PollAsync(CancellationToken.None);

        Assert.Empty(_forge.Builds);
        Assert.Empty(bridge.State.Pending);
        Assert.DoesNotContain(_forge.Statuses, s => s.Sha.StartsWith('1'));
        var error = _forge.Statuses[^1];
        Assert.Equal(("error", Head), (error.State, error.Sha));
        Assert.Contains("no pipeline of ops/recipe-ci runs on the custom event", error.Description);
        Assert.Contains(_said, s => s.Contains("the pull request is closed; no run", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _forge.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
