using RecipeCi.Results;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// Upgrades whose head breaks what a visitor reaches, while swarm and the health path are content:
/// the routing probe fails the head's health stage naming the label and where it was written.
/// </summary>
public sealed class VisitorRouteScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>The 1-based line of compose.yml that holds <paramref name="text"/>.</summary>
    private static int LineOf(TestRelease release, string text) =>
        Array.FindIndex(TestRecipe.Compose(release).Split('\n'), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private async Task<(Results.RunResult Result, Results.StageResult HeadHealth)> UpgradeAsync(string recipe, TestRelease head)
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync(recipe, TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { Visitor = new() }, head));

        var run = await _ws.RunAsync("Upgrade", recipe, "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain(recipe, run));
        var r = _ws.Results(recipe);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.AwaitBaseHealthy).Status);   // the base's route is right
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.AwaitHeadConvergence).Status);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.True(File.Exists(Path.Combine(_ws.StageDir(recipe, StageId.AwaitHeadHealthy), "routing.json")));
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        var health = r.Stages.Single(s => s.Stage == StageId.AwaitHeadHealthy);
        Assert.Equal(StageStatus.Failed, health.Status);
        return (r, health);
    }

    [Fact]
    public async Task A_head_routing_to_a_port_nothing_listens_on_fails_its_health_naming_the_port_label_and_its_line()
    {
        var head = new TestRelease("1.1.0+2") { Visitor = new() { Port = 8080 } };
        var (r, health) = await UpgradeAsync("visport", head);

        Assert.Contains($"routing: traefik.http.services.{r.Stack}.loadbalancer.server.port=8080 (compose.yml:{LineOf(head, "loadbalancer.server.port")}): " +
            "nothing listens on port 8080 in app's container (it listens on 80)", health.Reason);
    }

    [Fact]
    public async Task A_head_whose_router_names_another_domain_fails_its_health_naming_the_rule_label_and_its_line()
    {
        var head = new TestRelease("1.1.0+2") { Visitor = new() { Host = "app.example.org" } };
        var (r, health) = await UpgradeAsync("visdomain", head);

        Assert.Contains($"routing: no router rule sends {r.AppDomain} to the app: traefik.http.routers.{r.Stack}.rule=Host(`app.example.org`) " +
            $"(compose.yml:{LineOf(head, ".rule=Host(")}): names app.example.org, not {r.AppDomain}", health.Reason);
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A head whose login form is broken while its health path still answers 200: the browser check is red, naming the step.</summary>
public sealed class VisitorLoginScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_head_with_a_broken_login_form_passes_its_health_and_fails_the_browser_check_naming_the_step()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("vislogin", TestRecipe.History(
            new TestRelease("1.0.0+1", "1.0.0+1") { Visitor = new() },
            new TestRelease("1.1.0+2") { Visitor = new() { FormAction = "/cgi-bin/signin" } }));
        var checks = Path.Combine(_ws.Root, "tests", "vislogin", "checks.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(checks)!);
        await File.WriteAllTextAsync(checks, """
            checks:
              - name: admin logs in
                browser:
                  timeout: 3
                  steps:
                    - goto: /
                    - fill: {selector: "#password", value: "secret:token"}
                    - click: "button[type=submit]"
                    - expect_url: /cgi-bin/admin
                    - expect_text: {text: "Welcome, admin", selector: h1}
                    - screenshot: logged-in
            """);

        var run = await _ws.RunAsync("Custom", "vislogin", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("vislogin", run));
        var r = _ws.Results("vislogin");
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.AwaitBaseHealthy).Status);   // health path and route answer
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Custom]);
        var custom = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.Equal(StageStatus.Failed, custom.Status);
        Assert.StartsWith($"1 of 1 custom checks failed: admin logs in: step 4 of 6 (expect_url /cgi-bin/admin, {checks}:9) failed after ", custom.Reason);
        Assert.Contains($"at http://{r.AppDomain}/cgi-bin/signin: the page did not reach /cgi-bin/admin within 3 s", custom.Reason);
        // The page the failing step saw is kept and named for the run page.
        Assert.Equal(["checks/admin-logs-in/failure.png"], Assert.Single(custom.Checks).Screenshots);
        Assert.True(File.Exists(Path.Combine(_ws.StageDir("vislogin", StageId.CustomChecks), "checks", "admin-logs-in", "failure.png")));
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
