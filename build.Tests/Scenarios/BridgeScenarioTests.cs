using System.Net;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The Bridge process against the fake forge and Drone, where no run is needed: who and what starts
/// nothing, the webhook's signature, a forge that fails for a while, a restart between polls.
/// </summary>
public sealed class BridgeScenarioTests : IDisposable
{
    private const string Repo = "coop/hello";
    private const string Head = "38e5da74bccde114a035f4327e5826081e006a90";
    private readonly BridgeRig _rig = new();

    public BridgeScenarioTests()
    {
        _rig.Forge.AddPull(Repo, 7, Head);
        _rig.Forge.AddMember("coop", _rig.Forge.Bot);
        _rig.Forge.AddMember("coop", "alice");
    }

    private FakeForge Forge => _rig.Forge;

    [Fact]
    public async Task Unauthorised_own_edited_and_replayed_comments_start_nothing_and_a_wrong_or_missing_signature_is_401()
    {
        await _rig.EnrolAsync("hello", Repo);
        var before = Forge.Comment(Repo, 7, "alice", "!testme");   // made before the bridge ever looked
        _rig.Start(poll: 5);
        await _rig.PrimedAsync();

        Forge.Comment(Repo, 7, "mallory", "!testme");
        var own = Forge.Comment(Repo, 7, Forge.Bot, "!testme");
        var reworded = Forge.Comment(Repo, 7, "alice", "looks good");
        await _rig.PollsAsync(1);
        // Made and edited between two polls: the poll sees an edited comment it never saw.
        var edited = Forge.Comment(Repo, 7, "alice", "looks good too");
        Forge.Edit(edited, "!testme");
        Forge.Edit(reworded, "!testme");
        Forge.Comment(Repo, 7, "mallory", "!testme --quick");

        // Right after a poll, so that the webhook brings this one first; the poll after it must not take it again.
        await _rig.PollsAsync(1);
        var alice = Forge.Comment(Repo, 7, "alice", "!testme --quick");
        var delivery = Forge.CommentPayload(alice, "created");
        Assert.Equal((HttpStatusCode.OK, "trigger"), await FakeForge.DeliverAsync(_rig.Hook, delivery, _rig.Secret, delivery: "d-1"));
        Assert.Equal((HttpStatusCode.OK, "already_seen"), await FakeForge.DeliverAsync(_rig.Hook, delivery, _rig.Secret, delivery: "d-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await FakeForge.DeliverAsync(_rig.Hook, delivery, "not-the-secret", delivery: "d-2")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await FakeForge.DeliverAsync(_rig.Hook, delivery, null, delivery: "d-3")).Status);
        var other = Forge.Comment(Repo, 7, "alice", "!testme");
        Assert.Equal((HttpStatusCode.OK, "edited"), await FakeForge.DeliverAsync(_rig.Hook, Forge.CommentPayload(other, "edited"), _rig.Secret));
        Assert.Equal((HttpStatusCode.Accepted, "ignored: event type 'pull_request' is not a comment"),
            await FakeForge.DeliverAsync(_rig.Hook, Forge.CommentPayload(other, "created"), _rig.Secret, eventType: "pull_request"));
        await _rig.PollsAsync(2);

        var build = Assert.Single(Forge.Builds);
        Assert.Equal("install,upgrade", build.Params["STAGES"]);
        Assert.Equal([alice.Id], Forge.ReactionsGiven.Select(r => r.Comment));
        Assert.All(Forge.Statuses, s => Assert.Equal(("recipe-ci/hello/quick", "pending"), (s.Context, s.State)));
        var reply = Assert.Single(Forge.CommentsOn(Repo, 7), c => c.User == Forge.Bot && c.Id != own.Id);
        Assert.StartsWith("@mallory: ", reply.Body);
        var output = _rig.Output;
        Assert.Contains("delivery d-2 from 127.0.0.1", output);
        Assert.Contains("has a wrong signature: refused (401)", output);
        Assert.Contains("delivery d-3 from 127.0.0.1", output);
        Assert.Contains("has no signature: refused (401)", output);
        Assert.Contains($"comment {edited.Id} by alice (poll): an edited comment never triggers", output);
        Assert.Contains($"comment {other.Id} by alice (webhook): an edited comment never triggers", output);
        Assert.Contains($"comment {own.Id} by {Forge.Bot} (poll): the bot's own comment never triggers", output);
        Assert.Contains("mallory may not trigger", output);
        Assert.DoesNotContain(before.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
    }

    [Fact]
    public async Task A_forge_failing_with_502_three_times_then_recovering_still_posts_the_status_and_a_drone_down_longer_keeps_the_trigger()
    {
        await _rig.EnrolAsync("hello", Repo);
        _rig.Start(poll: 1, listen: false);
        await _rig.PrimedAsync();
        Forge.Fail(r => r.Path.Contains("/statuses/", StringComparison.Ordinal), 502, 3);
        Forge.Fail(r => r.Path.EndsWith("/builds", StringComparison.Ordinal), 502, 5);

        Forge.Comment(Repo, 7, "alice", "!testme");
        await Eventually.HoldsAsync(() => Task.FromResult(Forge.Statuses.Any(s => s.TargetUrl is not null)), TimeSpan.FromSeconds(90),
            "the pending status pointing at the build", _rig.Explain);

        Assert.Equal([502, 502, 502, 201, 201], Forge.Requests.Where(r => r.Path.Contains("/statuses/", StringComparison.Ordinal)).Select(r => r.Answer));
        Assert.Equal([502, 502, 502, 502, 502, 200], Forge.Requests.Where(r => r.Path.EndsWith("/builds", StringComparison.Ordinal)).Select(r => r.Answer));
        Assert.Single(Forge.Builds);
        Assert.Equal(["pending", "pending"], Forge.Statuses.Select(s => s.State));
        Assert.Equal($"{Forge.Url}/ops/recipe-ci/1", Forge.Statuses[^1].TargetUrl);
        Assert.Contains("Drone answered 502 Bad Gateway to POST repos/ops/recipe-ci/builds", _rig.Output);
        Assert.Contains("kept at Acknowledged (try 1), retried at the next poll", _rig.Output);
        Assert.DoesNotContain(Forge.GiteaToken, _rig.Output);
        Assert.DoesNotContain(Forge.DroneToken, _rig.Output);
        Assert.DoesNotContain(Forge.GiteaToken, await File.ReadAllTextAsync(Path.Combine(_rig.State, "bridge", "state.json")));
    }

    [Fact]
    public async Task A_restart_between_two_polls_replays_nothing_and_loses_nothing()
    {
        await _rig.EnrolAsync("hello", Repo);
        _rig.Start(poll: 1, listen: false);
        await _rig.PrimedAsync();
        Forge.Comment(Repo, 7, "alice", "!testme");
        await Eventually.HoldsAsync(() => Task.FromResult(Forge.Statuses.Count == 2), TimeSpan.FromSeconds(60), "the first trigger handled", _rig.Explain);

        var stopped = await _rig.StopAsync();
        Assert.Contains("bridge: stopped", stopped.Output);
        var whileDown = Forge.Comment(Repo, 7, "alice", "!testme --quick");
        _rig.Start(poll: 1, listen: false);
        await Eventually.HoldsAsync(() => Task.FromResult(Forge.Builds.Count == 2), TimeSpan.FromSeconds(60), "the trigger made while the bridge was down", _rig.Explain);
        await _rig.PollsAsync(3);

        Assert.Equal(["install,upgrade,backup_restore,custom,lint", "install,upgrade"], Forge.Builds.Select(b => b.Params["STAGES"]));
        Assert.Equal(whileDown.Id, Forge.ReactionsGiven[^1].Comment);
        Assert.Single(_rig.Output.Split('\n'), l => l.Contains("existing comment(s) marked seen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_local_runner_the_bridge_runs_each_build_itself_one_at_a_time_per_app_domain_and_posts_its_result()
    {
        // A recipe whose repository is not there: each run ends at once as bad input (exit 2, no results.json), which is what gets posted.
        await _rig.EnrolAsync("hello", Repo);
        _rig.Start(poll: 1, listen: false, "--runner=local");
        await _rig.PrimedAsync();

        var first = Forge.Comment(Repo, 7, "alice", "!testme");
        var second = Forge.Comment(Repo, 7, "alice", "!testme");
        await Eventually.HoldsAsync(() => Task.FromResult(Forge.Statuses.Count(s => s.State == "error") == 2), TimeSpan.FromMinutes(3),
            "both runs' final statuses", _rig.Explain);

        Assert.Empty(Forge.Builds);
        Assert.All(Forge.Statuses, s => Assert.Equal(("recipe-ci/hello", Head), (s.Context, s.Sha)));
        var output = _rig.Output;
        Assert.Contains("after the run of the same domain before it", output);
        // One at a time: the second run ends after the first was published.
        Assert.True(output.IndexOf($"-{first.Id} exited 0", StringComparison.Ordinal) < output.IndexOf($"-{second.Id} exited 2", StringComparison.Ordinal), output);
        var comment = Assert.Single(Forge.CommentsOn(Repo, 7), c => c.User == Forge.Bot);
        Assert.Contains("### Recipe CI: hello ERROR, no verdict", comment.Body);
        var logs = Directory.GetFiles(Path.Combine(_rig.Ws.Artifacts, "bridge"), "bridge-*.log");
        Assert.Equal(2, logs.Length);
        Assert.All(logs, log => Assert.Contains("does not exist", File.ReadAllText(log)));
    }

    [Fact]
    public async Task The_webhook_answers_on_the_path_gitea_is_given_and_refuses_what_is_not_a_post()
    {
        await _rig.EnrolAsync("hello", Repo);
        _rig.Start(poll: 3600);
        await _rig.PrimedAsync();
        var alice = Forge.Comment(Repo, 7, "alice", "!testme");

        Assert.Equal((HttpStatusCode.OK, "trigger"), await FakeForge.DeliverAsync(_rig.Hook.TrimEnd('/'), Forge.CommentPayload(alice, "created"), _rig.Secret));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync(_rig.Hook)).StatusCode);
        // Woken by the delivery, not by a poll an hour away.
        await Eventually.HoldsAsync(() => Task.FromResult(Forge.Builds.Count == 1), TimeSpan.FromSeconds(30), "the build of the delivered trigger", _rig.Explain);
    }

    public void Dispose() => _rig.Dispose();
}
