using Newtonsoft.Json.Linq;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The maintainer's hooks, all from Recipe CI's own repository: tests/&lt;recipe&gt;/install before
/// the first deploy, upgrade_env for the head deploy only, overlays/&lt;recipe&gt;/previous/ for the base only.
/// </summary>
public sealed class HookTests : IDisposable
{
    private readonly Workspace _ws = new();

    // A side service whose env shows what the deploy interpolated from the app's env file.
    private const string Side = """
          side:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 1; done"]
            environment:
              - HOOKED=${HOOKED:-unset}
              - STAGE=${STAGE:-base}
        """;

    private Task AddAsync(string name, string extra = "") => _ws.AddRecipeAsync(name, TestRecipe.History(
        new TestRelease("1.0.0+1", "1.0.0+1") { ExtraServices = Side },
        new TestRelease("1.1.0+2") { ExtraServices = Side }), extra);

    /// <summary>The side service's spec as the base (services-before of ChaosRedeploy) or the head (AwaitHeadConvergence) ran it.</summary>
    private JObject SideSpec(string recipe, StageId stage, string file, string stack) =>
        (JObject)JArray.Parse(File.ReadAllText(Path.Combine(_ws.StageDir(recipe, stage), file)))
            .Single(s => (string?)s["Spec"]!["Name"] == $"{stack}_side")["Spec"]!;

    private static List<string> Env(JObject spec) => spec["TaskTemplate"]!["ContainerSpec"]!["Env"]!.Select(e => (string)e!).ToList();

    [Fact]
    public async Task Install_hook_runs_before_the_first_deploy_and_its_effect_is_deployed()
    {
        await LocalSwarm.EnsureAsync();
        await AddAsync("ctinsthook");
        await _ws.WriteScriptAsync(Path.Combine("tests", "ctinsthook", "install"),
            "#!/bin/sh\nset -e\necho \"hook for $RECIPE_CI_RECIPE on $RECIPE_CI_STACK\"\necho 'HOOKED=by-install-hook' >> \"$RECIPE_CI_ENV_FILE\"\n");

        var run = await _ws.RunAsync("Upgrade", "ctinsthook", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctinsthook", run));
        var r = _ws.Results("ctinsthook");
        Assert.Contains("HOOKED=by-install-hook", Env(SideSpec("ctinsthook", StageId.ChaosRedeploy, "services-before.json", r.Stack)));
        var log = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctinsthook", StageId.VetBase), "install-hook.log"));
        Assert.Contains($"hook for ctinsthook on {r.Stack}", log);
        Assert.Equal("tests/ctinsthook/install", (string?)r.Customization["install_hook"]);
        // The hook is not a custom check too.
        Assert.Empty((JArray)r.Customization["custom_checks"]!);
    }

    [Fact]
    public async Task Failing_install_hook_fails_the_install_rung_with_its_output_tail()
    {
        await LocalSwarm.EnsureAsync();
        await AddAsync("ctinstfail");
        await _ws.WriteScriptAsync(Path.Combine("tests", "ctinstfail", "install"), "#!/bin/sh\necho 'cannot prepare the app: no seed data'\nexit 3\n");

        var run = await _ws.RunAsync("Upgrade", "ctinstfail", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctinstfail", run));
        var r = _ws.Results("ctinstfail");
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);
        var created = r.Stages.Single(s => s.Stage == StageId.VetBase);
        Assert.Contains("install hook tests/ctinstfail/install exited 3: cannot prepare the app: no seed data", created.Reason);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Upgrade_env_reaches_the_head_deploy_only()
    {
        await LocalSwarm.EnsureAsync();
        await AddAsync("ctupenv", "    upgrade_env: {STAGE: head}\n");

        var run = await _ws.RunAsync("Upgrade", "ctupenv", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctupenv", run));
        var r = _ws.Results("ctupenv");
        Assert.Contains("STAGE=base", Env(SideSpec("ctupenv", StageId.ChaosRedeploy, "services-before.json", r.Stack)));
        Assert.Contains("STAGE=head", Env(SideSpec("ctupenv", StageId.AwaitHeadConvergence, "services.json", r.Stack)));
    }

    [Fact]
    public async Task Previous_overlay_is_in_the_base_spec_and_not_in_the_head_spec()
    {
        await LocalSwarm.EnsureAsync();
        await AddAsync("ctprevovl");
        var previous = Directory.CreateDirectory(Path.Combine(_ws.Root, "overlays", "ctprevovl", "previous")).FullName;
        await File.WriteAllTextAsync(Path.Combine(previous, "compose.ccci.yml"),
            "version: \"3.8\"\nservices:\n  side:\n    deploy:\n      labels:\n        recipe-ci.test.previous: \"yes\"\n");

        var run = await _ws.RunAsync("Upgrade", "ctprevovl", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctprevovl", run));
        var r = _ws.Results("ctprevovl");
        Assert.Equal("yes", (string?)SideSpec("ctprevovl", StageId.ChaosRedeploy, "services-before.json", r.Stack)["Labels"]!["recipe-ci.test.previous"]);
        Assert.Null(SideSpec("ctprevovl", StageId.AwaitHeadConvergence, "services.json", r.Stack)["Labels"]!["recipe-ci.test.previous"]);
        Assert.Equal("base: overlays/ctprevovl/previous/compose.ccci.yml; head: none", (string?)r.Customization["overlays_by_deploy"]);
    }

    public void Dispose() => _ws.Dispose();
}
