using System.Net;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// From a <c>!testme</c> to a status, with real runs on the local swarm: the Bridge process starts
/// the fake Drone's build, which runs the recipe-ci pipeline's own commands from .drone.yml (the
/// Recipe target, then Publish --post) with the build's parameters as environment.
/// </summary>
internal static class BridgeRuns
{
    /// <summary>The fake Drone runs .drone.yml's recipe-ci pipeline in the workspace, its host folders mapped into it.</summary>
    public static DronePipeline Pipeline(BridgeRig rig) => new("recipe-ci")
    {
        WorkingDirectory = rig.Ws.Root,
        DroneUrl = rig.Forge.Url + "/" + rig.Forge.DroneRepo,
        Secrets = new()
        {
            ["forge_url"] = rig.Forge.Url, ["forge_bot"] = rig.Forge.Bot, ["forge_token"] = rig.Forge.GiteaToken, ["artifacts_url"] = rig.Forge.Url + "/artifacts",
        },
        HostPaths = new() { ["/var/lib/recipe-ci"] = rig.Ws.Root, ["/run/lock/recipe-ci"] = rig.Ws.LockDir },
    };

    /// <summary>
    /// Opens the PR on <paramref name="forgeRepo"/> at <paramref name="head"/> (alice and the bot are
    /// members of its organisation), starts the bridge with the pipeline behind its Drone, and waits for its first poll.
    /// </summary>
    public static async Task<DronePipeline> StartAsync(BridgeRig rig, string forgeRepo, int pr, string head)
    {
        rig.Forge.AddPull(forgeRepo, pr, head);
        var org = forgeRepo.Split('/')[0];
        rig.Forge.AddMember(org, rig.Forge.Bot);
        rig.Forge.AddMember(org, "alice");
        var pipeline = Pipeline(rig);
        rig.Forge.Runner = pipeline.RunAsync;
        rig.Forge.ArtifactsRoot = rig.Ws.Artifacts;
        rig.Start(poll: 2, listen: false);
        await rig.PrimedAsync();
        return pipeline;
    }

    /// <summary>A PR number of its own, so that the run's app domain (recipe, PR, head) is this test's alone on the shared swarm.</summary>
    public static int NewPr() => Random.Shared.Next(100, 100_000);

    public static async Task<FakeStatus> FinalStatusAsync(BridgeRig rig, DronePipeline pipeline, string context) =>
        await WaitForAsync(rig, pipeline, () => rig.Forge.Statuses.LastOrDefault(s => s.Context == context && s.State != "pending"), $"a final {context} status");

    private static async Task<T> WaitForAsync<T>(BridgeRig rig, DronePipeline pipeline, Func<T?> find, string what) where T : class
    {
        T? found = null;
        await Eventually.HoldsAsync(() => Task.FromResult((found = find()) is not null), TimeSpan.FromMinutes(12), what,
            () => $"{rig.Explain()}\n--- pipeline:\n{pipeline.Output}");
        return found!;
    }
}

public sealed class BridgeGreenRunScenarioTests : IDisposable
{
    private readonly BridgeRig _rig = new();

    [Fact]
    public async Task An_authorised_testme_goes_pending_then_success_with_one_comment_whose_run_link_exists_and_a_second_testme_edits_it()
    {
        await LocalSwarm.EnsureAsync();
        // The repository's own catalogue and the sample's checks, its hello watched on the fake forge.
        var catalogue = (await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "recipes.yaml")))
            .Replace("    repository: samples/hello\n", $"    repository: {Path.Combine(RepoRoot.Path, "samples", "hello")}\n    forge: recipe-ci/hello\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(_rig.Ws.Catalog, catalogue);
        var checks = Directory.CreateDirectory(Path.Combine(_rig.Ws.Root, "tests", "hello")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, "tests", "hello")))
            File.Copy(file, Path.Combine(checks, Path.GetFileName(file)));
        var built = Path.Combine(_rig.Ws.Root, "hello-head");
        await RecipeHistory.Load(Path.Combine(RepoRoot.Path, "samples", "hello")).BuildAsync(built, new CommandRunner(), CancellationToken.None);
        var head = await _rig.Ws.GitAsync(built, "rev-parse", "HEAD");
        var pr = BridgeRuns.NewPr();
        var pipeline = await BridgeRuns.StartAsync(_rig, "recipe-ci/hello", pr, head);

        _rig.Forge.Comment("recipe-ci/hello", pr, "alice", "!testme");
        var final = await BridgeRuns.FinalStatusAsync(_rig, pipeline, "recipe-ci/hello");

        Assert.True(final.State == "success", $"{final.State}: {final.Description}\n{pipeline.Output}");
        Assert.Equal(["pending", "pending", "success"], _rig.Forge.Statuses.Where(s => s.Context == "recipe-ci/hello").Select(s => s.State));
        Assert.All(_rig.Forge.Statuses, s => Assert.Equal(head, s.Sha));
        Assert.StartsWith("L5 passed", final.Description);
        var page = $"{_rig.Forge.Url}/artifacts/runs/drone-1/hello/report.html";
        Assert.Equal(page, final.TargetUrl);
        var comment = Assert.Single(_rig.Forge.CommentsOn("recipe-ci/hello", pr), c => c.User == _rig.Forge.Bot);
        Assert.StartsWith(PrComment.Marker("hello"), comment.Body);
        Assert.Contains("### Recipe CI: hello PASSED, level L5", comment.Body);
        Assert.Contains($"[run page]({page})", comment.Body);
        using (var http = new HttpClient())
        {
            using var served = await http.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Contains("hello", await served.Content.ReadAsStringAsync());
        }

        _rig.Forge.Comment("recipe-ci/hello", pr, "alice", "!testme --quick");
        var quick = await BridgeRuns.FinalStatusAsync(_rig, pipeline, "recipe-ci/hello/quick");

        Assert.Equal("success", quick.State);
        var edited = Assert.Single(_rig.Forge.CommentsOn("recipe-ci/hello", pr), c => c.User == _rig.Forge.Bot);
        Assert.Equal(comment.Id, edited.Id);
        Assert.Contains("Quick run (`!testme --quick`)", edited.Body);
        Assert.Contains("/artifacts/runs/drone-2/hello/report.html", edited.Body);
        Assert.Equal(2, _rig.Forge.Builds.Count);
    }

    public void Dispose() => _rig.Dispose();
}

public sealed class BridgeRedRunScenarioTests : IDisposable
{
    private readonly BridgeRig _rig = new();

    [Fact]
    public async Task A_rolled_back_upgrade_ends_with_a_failure_status_and_a_comment_naming_the_short_cause()
    {
        await LocalSwarm.EnsureAsync();
        // Two releases, the newest broken (its app never healthy, so swarm rolls the upgrade back): the sweep's red sample.
        var repo = await _rig.Ws.AddRecipeAsync("bridgered", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1"),
            new TestRelease("1.1.0+2") { AppHealthy = false, Message = "break the healthcheck" }), "    forge: coop/bridgered\n");
        var head = await _rig.Ws.GitAsync(repo, "rev-parse", "HEAD");
        var pr = BridgeRuns.NewPr();
        var pipeline = await BridgeRuns.StartAsync(_rig, "coop/bridgered", pr, head);

        _rig.Forge.Comment("coop/bridgered", pr, "alice", "!testme --quick");
        var final = await BridgeRuns.FinalStatusAsync(_rig, pipeline, "recipe-ci/bridgered/quick");

        Assert.True(final.State == "failure", $"{final.State}: {final.Description}\n{pipeline.Output}");
        Assert.Equal(head, final.Sha);
        Assert.StartsWith("L1 rolled_back", final.Description);
        var comment = Assert.Single(_rig.Forge.CommentsOn("coop/bridgered", pr), c => c.User == _rig.Forge.Bot);
        Assert.Contains("### Recipe CI: bridgered ROLLED_BACK, level L1", comment.Body);
        Assert.Contains("**Cause:** upgrade rolled back: app", comment.Body);
        // The build itself fails (its test step exits 1); its publish step ran all the same, and ended well.
        await Eventually.HoldsAsync(() => Task.FromResult(_rig.Forge.Builds[0].Status == "failure"), TimeSpan.FromMinutes(1), "the build to end failed", () => pipeline.Output);
        Assert.Contains("--- step test of build 1: exit 1", pipeline.Output);
        Assert.Contains("--- step publish of build 1: exit 0", pipeline.Output);
    }

    public void Dispose() => _rig.Dispose();
}
