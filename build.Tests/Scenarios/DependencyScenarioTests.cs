using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// A recipe that needs another app (<c>depends:</c>): the OIDC-style provider installed cold as a run
/// of its own, provisioned for the app by the operator's hook, and torn down after it. A provider that
/// does not install, or a hook that fails, is an error of the run, never the recipe's failure.
/// </summary>
public sealed class DependencyScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <param name="routeApp">The app is routed by its traefik labels (abra's routing), as a browser reaches it; otherwise routing: none.</param>
    /// <param name="routeProvider">The same for the provider.</param>
    private async Task EnrolAsync(string provider, string app, bool brokenProvider = false, int? hookFails = null, bool headAsksForScope = false, bool chattyHook = false,
        bool routeApp = false, bool routeProvider = false)
    {
        await LocalSwarm.EnsureAsync();
        static string Routing(bool routed) => routed ? "" : "    routing: {none: \"a scenario that does not browse\"}\n";
        await _ws.AddRecipeAsync(provider, OidcRecipes.ProviderHistory(brokenProvider), Routing(routeProvider));
        await _ws.AddRecipeAsync(app, OidcRecipes.AppHistory(headAsksForScope), Routing(routeApp) + $"    depends:\n      {provider}: {{provision: {OidcRecipes.Hook}, scope: run}}\n");
        await _ws.WriteScriptAsync(Path.Combine("tests", app, OidcRecipes.Hook), OidcRecipes.ProvisionHook(hookFails, chattyHook));
    }

    private string DependencyDir(string app, string provider) => Path.Combine(_ws.RunDir(app), DependencyApps.DepsFolder, provider);

    private RunResult DependencyResults(string app, string provider) => RunResult.Read(Path.Combine(DependencyDir(app, provider), RunResult.FileName));

    private async Task AssertNothingLeftAsync(string app, RunResult r, RunResult dependency)
    {
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        Assert.Empty(await Workspace.LeftoversAsync(dependency.Stack));
        // Both runs verified their teardown clean, so neither lock file stays for the janitor.
        Assert.Empty(Directory.GetFiles(_ws.LockDir, "recipe-ci-*.lock"));
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.Teardown).Status);
        Assert.Equal(StageStatus.Passed, dependency.Stages.Single(s => s.Stage == StageId.Teardown).Status);
    }

    [Fact]
    public async Task A_run_scoped_provider_is_installed_provisioned_for_the_app_and_torn_down_with_it()
    {
        await EnrolAsync("ctidp", "ctoidc");

        var run = await _ws.RunAsync("Install", "ctoidc", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctoidc", run));
        var r = _ws.Results("ctoidc");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(["FetchRecipe", "RunAdmission", "Dependencies", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "Teardown"],
            r.Stages.Select(s => s.Name));
        var dependency = DependencyResults("ctoidc", "ctidp");
        Assert.Equal(Verdict.Passed, dependency.Verdict);
        Assert.Equal(["FetchRecipe", "RunAdmission", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "Teardown"], dependency.Stages.Select(s => s.Name));
        Assert.NotEqual(r.Stack, dependency.Stack);
        Assert.NotNull(dependency.FinishedAt);
        Assert.Contains("installing its newest, 1.0.0+1", await File.ReadAllTextAsync(Path.Combine(DependencyDir("ctoidc", "ctidp"), dependency.Stages[0].Folder, "console.log")));

        // The run page shows the dependency's stages, linked into its folder.
        var page = await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("ctoidc"), "report.html"));
        Assert.Contains($"(stack {dependency.Stack}): <a href=\"deps/ctidp/report.html\">its run page</a>", page);
        Assert.Contains($"<a href=\"deps/ctidp/{dependency.Stages.Single(s => s.Stage == StageId.AwaitBaseHealthy).Folder}/\">", page);

        // The app refuses to start without a client the provider accepts: it answering proves the wiring.
        var deps = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidc", StageId.Dependencies), "console.log"));
        Assert.Contains("ctidp AwaitBaseHealthy: passed", deps);
        Assert.Contains("provisioned for ", deps);
        Assert.Contains("env OIDC_CLIENT_ID, OIDC_LOGIN_URL, OIDC_PROVIDER, OIDC_TEST_USER; secrets oidc_client_secret; check values oidc_test_password", deps);
        var log = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidc", StageId.Dependencies), "provision-ctidp.log"));
        Assert.Contains("secret oidc_client_secret [REDACTED]", log);
        Assert.Matches("created client client-[0-9a-f]{8} for ", log);
        var env = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidc", StageId.VetBase), "app.env"));
        Assert.Matches("OIDC_CLIENT_ID=client-[0-9a-f]{8}", env);
        Assert.Contains($"OIDC_PROVIDER={dependency.Stack}_app", env);
        Assert.Contains("inserted from a provision hook", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidc", StageId.DeployBase), "console.log")));

        await AssertNothingLeftAsync("ctoidc", r, dependency);
    }

    [Fact]
    public async Task A_browser_logs_in_to_the_app_through_the_provider_and_a_password_the_provider_refuses_fails_its_check_naming_the_step()
    {
        // One deploy for both: the fixture's login check, and the same steps typing a password the provider refuses.
        await EnrolAsync("ctidpw", "ctoidcw", routeApp: true, routeProvider: true);
        var checks = await _ws.WriteScriptAsync(Path.Combine("tests", "ctoidcw", "checks.yaml"), OidcRecipes.Checks(alsoWithWrongPassword: true));
        File.SetUnixFileMode(checks, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var run = await _ws.RunAsync("Custom", "ctoidcw", "--abra=local");

        var r = _ws.Results("ctoidcw");
        Assert.True(run.ExitCode == 1, _ws.Explain("ctoidcw", run));
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        var dependency = DependencyResults("ctoidcw", "ctidpw");
        var stage = r.Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.Equal(["logs in through the provider", "logs in with a wrong password"], stage.Checks.Select(c => c.Name));

        // Logged in: the provider's login page on its domain, its redirect back with a code, the app's exchange of it.
        var login = stage.Checks[0];
        Assert.True(login.Passed, login.Detail);
        Assert.Matches($"^10 step\\(s\\) passed at http://{System.Text.RegularExpressions.Regex.Escape(r.AppDomain)}/cgi-bin/callback\\?code=[0-9a-f]{{16}}; screenshots: logged-in.png$", login.Detail);
        Assert.Equal(["checks/logs-in-through-the-provider/logged-in.png"], login.Screenshots);
        Assert.True(new FileInfo(Path.Combine(_ws.StageDir("ctoidcw", StageId.CustomChecks), login.Screenshots![0])).Length > 1000);
        // Only the two domains resolve, each to its own task.
        var browser = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcw", StageId.CustomChecks), "checks", "logs-in-through-the-provider", "browser.json"));
        Assert.Contains($"\"{r.AppDomain}: ", browser);
        Assert.Contains($"\"{dependency.AppDomain}: ", browser);
        Assert.Contains($"(service app, router {dependency.Stack})", browser);

        // Refused: red, naming the step that did not happen and what the provider said.
        var refused = stage.Checks[1];
        Assert.False(refused.Passed);
        Assert.True(refused.Detail.StartsWith($"step 8 of 10 (expect_url /cgi-bin/callback, {checks}:27) failed after ", StringComparison.Ordinal), refused.Detail);
        Assert.Contains($" s at http://{dependency.AppDomain}/cgi-bin/login?client_id=client-", refused.Detail);
        Assert.Contains("the page did not reach /cgi-bin/callback within 3 s", refused.Detail);
        Assert.Contains("the page shows: 'wrong user or password'", refused.Detail);
        Assert.Equal(["checks/logs-in-with-a-wrong-password/failure.png"], refused.Screenshots);

        // The test user's password was typed, never written, and never the app's: no secret of its name in swarm.
        Assert.Contains("check oidc_test_password [REDACTED]", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcw", StageId.Dependencies), "provision-ctidpw.log")));
        Assert.Contains("with check:oidc_test_password", browser);
        Assert.DoesNotContain("oidc_test_password", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcw", StageId.DeployBase), "console.log")));
        await AssertNothingLeftAsync("ctoidcw", r, dependency);
    }

    [Fact]
    public async Task A_provider_whose_routing_is_not_probed_is_still_reached_by_its_labels_as_the_app_is()
    {
        await EnrolAsync("ctidpn", "ctoidcn", routeApp: true);
        // routing: none says the probe does not apply, not that the labels are absent: the browser reads them all the same.
        var checks = await _ws.WriteScriptAsync(Path.Combine("tests", "ctoidcn", "checks.yaml"), OidcRecipes.Checks());
        File.SetUnixFileMode(checks, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var run = await _ws.RunAsync("Custom", "ctoidcn", "--abra=local");

        var r = _ws.Results("ctoidcn");
        Assert.True(run.ExitCode == 0, _ws.Explain("ctoidcn", run));
        var login = Assert.Single(r.Stages.Single(s => s.Stage == StageId.CustomChecks).Checks);
        Assert.True(login.Passed, login.Detail);
        var dependency = DependencyResults("ctoidcn", "ctidpn");
        Assert.Contains("routing not probed: a scenario that does not browse", await File.ReadAllTextAsync(
            Path.Combine(DependencyDir("ctoidcn", "ctidpn"), dependency.Stages.Single(s => s.Stage == StageId.AwaitBaseHealthy).Folder, "console.log")));
        var browser = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcn", StageId.CustomChecks), "checks", "logs-in-through-the-provider", "browser.json"));
        Assert.Contains($"\"{dependency.AppDomain}: ", browser);
        await AssertNothingLeftAsync("ctoidcn", r, dependency);
    }

    [Fact]
    public async Task A_head_that_asks_for_new_keys_is_provisioned_again_before_its_deploy()
    {
        await EnrolAsync("ctidpu", "ctoidcu", headAsksForScope: true);

        var run = await _ws.RunAsync("Upgrade", "ctoidcu", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ctoidcu", run));
        var r = _ws.Results("ctoidcu");
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Upgrade]);
        var vet = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcu", StageId.VetHead), "console.log"));
        Assert.Contains("the head asks for new keys (OIDC_SCOPE): provisioning again", vet);
        Assert.Contains("provisioned for the head: env OIDC_SCOPE; secrets none", vet);
        Assert.Contains("OIDC_SCOPE=openid", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcu", StageId.ChaosRedeploy), "app.env")));
        await AssertNothingLeftAsync("ctoidcu", r, DependencyResults("ctoidcu", "ctidpu"));
    }

    [Fact]
    public async Task A_provider_that_does_not_install_makes_the_run_an_error_and_leaves_the_recipe_unverified()
    {
        await EnrolAsync("ctidpbad", "ctoidcb", brokenProvider: true);

        var run = await _ws.RunAsync("Install", "ctoidcb", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctoidcb", run));
        var r = _ws.Results("ctoidcb");
        Assert.Equal(Verdict.Error, r.Verdict);
        var stage = r.Stages.Single(s => s.Stage == StageId.Dependencies);
        Assert.Equal(StageStatus.Error, stage.Status);
        Assert.StartsWith("dependency ctidpbad did not install (AwaitBaseConvergence failed: ", stage.Reason);
        Assert.EndsWith("not the recipe's fault: its evidence is in deps/ctidpbad/", stage.Reason);
        Assert.All(r.Stages.Where(s => s.Name is "VetBase" or "DeployBase" or "AwaitBaseConvergence" or "AwaitBaseHealthy"), s => Assert.Equal(StageStatus.Unverified, s.Status));
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Install]);

        var dependency = DependencyResults("ctoidcb", "ctidpbad");
        Assert.Equal(StageStatus.Failed, dependency.Stages.Single(s => s.Stage == StageId.AwaitBaseConvergence).Status);
        Assert.True(File.Exists(Path.Combine(DependencyDir("ctoidcb", "ctidpbad"), "report.html")));
        await AssertNothingLeftAsync("ctoidcb", r, dependency);
    }

    [Fact]
    public async Task A_provision_hook_that_fails_is_an_error_with_its_output_as_evidence_and_its_secrets_redacted()
    {
        await EnrolAsync("ctidph", "ctoidch", hookFails: 3);

        var run = await _ws.RunAsync("Install", "ctoidch", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("ctoidch", run));
        var r = _ws.Results("ctoidch");
        Assert.Equal(Verdict.Error, r.Verdict);
        var stage = r.Stages.Single(s => s.Stage == StageId.Dependencies);
        Assert.Equal(StageStatus.Error, stage.Status);
        Assert.StartsWith("provision hook tests/ctoidch/provision-idp for ctidph exited 3: ", stage.Reason);
        Assert.Contains("the realm could not be saved (client secret [REDACTED])", stage.Reason);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Install]);

        var log = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidch", StageId.Dependencies), "provision-ctidph.log"));
        Assert.Contains("# exit 3", log);
        Assert.Contains("secret oidc_client_secret [REDACTED]", log);
        Assert.Contains("the realm could not be saved (client secret [REDACTED])", log);
        // The secret the hook printed reaches no file of the run, nor the console.
        var secret = System.Text.RegularExpressions.Regex.Match(run.Output + string.Concat(Directory.GetFiles(_ws.RunDir("ctoidch"), "*", SearchOption.AllDirectories)
            .Select(File.ReadAllText)), "client secret ([0-9a-f]{36})");
        Assert.False(secret.Success, $"a secret value was written: {secret.Value}");

        await AssertNothingLeftAsync("ctoidch", r, DependencyResults("ctoidch", "ctidph"));
    }

    [Fact]
    public async Task A_hook_line_of_another_shape_is_bad_input_named_by_its_line_and_nothing_is_left()
    {
        await EnrolAsync("ctidpc", "ctoidcc", chattyHook: true);

        var run = await _ws.RunAsync("Install", "ctoidcc", "--abra=local");

        Assert.True(run.ExitCode == 2, _ws.Explain("ctoidcc", run));
        var r = _ws.Results("ctoidcc");
        Assert.Equal(Verdict.Error, r.Verdict);
        var stage = r.Stages.Single(s => s.Stage == StageId.Dependencies);
        Assert.Equal(StageStatus.Error, stage.Status);
        Assert.StartsWith("tests/ctoidcc/provision-idp: output line 1 (starting 'created') is none of KEY=VALUE, 'secret NAME VALUE' or 'check NAME VALUE'. Fix: ", stage.Reason);
        Assert.All(r.Stages.Where(s => s.Name is "VetBase" or "DeployBase"), s => Assert.Equal(StageStatus.Unverified, s.Status));
        Assert.Contains("(not kept: it did not parse)", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ctoidcc", StageId.Dependencies), "provision-ctidpc.log")));
        await AssertNothingLeftAsync("ctoidcc", r, DependencyResults("ctoidcc", "ctidpc"));
    }

    /// <summary>A sweep of <paramref name="apps"/>, each needing <paramref name="provider"/> with <c>scope: sweep</c>, two at once.</summary>
    /// <param name="hooksSayAdminPassword">Each app's hook says the provider's admin password on stderr, which its run keeps.</param>
    private async Task<HarnessResult> SweepSharingAsync(string provider, string[] apps, bool brokenProvider = false, bool hooksSayAdminPassword = false)
    {
        await LocalSwarm.EnsureAsync();
        const string noRouting = "    routing: {none: \"a scenario that does not browse\"}\n";
        await _ws.AddRecipeAsync(provider, OidcRecipes.ProviderHistory(brokenProvider), noRouting);
        foreach (var app in apps)
        {
            await _ws.AddRecipeAsync(app, OidcRecipes.AppReleases(), noRouting + $"    depends:\n      {provider}: {{provision: {OidcRecipes.Hook}, scope: sweep}}\n");
            await _ws.WriteScriptAsync(Path.Combine("tests", app, OidcRecipes.Hook), OidcRecipes.ProvisionHook(saysAdminPassword: hooksSayAdminPassword));
        }
        return await Sweeping.RunAsync(_ws, "sd1", $"--recipes={string.Join(',', apps)}", "--parallel=2", "--confirm=0");
    }

    [Fact]
    public async Task A_sweep_scoped_provider_is_installed_once_for_the_sweep_each_run_gets_its_own_client_and_it_is_torn_down_after_the_last()
    {
        var run = await SweepSharingAsync("swidp", ["swoidca", "swoidcb"], hooksSayAdminPassword: true);

        var report = Sweeping.Report(_ws, "sd1");
        Assert.True(run.ExitCode == 0, run.Output + report);
        // Deployed once: one run of the provider, in the sweep's folder, and one install line.
        var sweep = Sweeping.Folder(_ws, "sd1");
        var provider = RunResult.Read(Path.Combine(sweep, DependencyApps.DepsFolder, "swidp", RunResult.FileName));
        Assert.Equal(Verdict.Passed, provider.Verdict);
        Assert.Equal(["FetchRecipe", "RunAdmission", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "Teardown"], provider.Stages.Select(s => s.Name));
        Assert.Single(run.Output.Split('\n'), l => l.Contains("dependency swidp (sweep scope): installing it once for the sweep", StringComparison.Ordinal));
        var clients = new List<string>();
        foreach (var line in Sweeping.Summary(_ws, "sd1").Recipes)
        {
            Assert.True(line.Verdict == Verdict.Passed, report);
            var folder = Path.Combine(sweep, line.Evidence!);
            var r = RunResult.Read(Path.Combine(folder, RunResult.FileName));
            var deps = r.Stages.Single(s => s.Stage == StageId.Dependencies);
            var given = Path.Combine(folder, DependencyApps.DepsFolder, "swidp");
            // The run installed nothing of its own: it was given the sweep's provider, and provisioned against it.
            Assert.False(File.Exists(Path.Combine(given, RunResult.FileName)));
            Assert.Equal(provider.Stack, SharedDependencies.Load(Path.Combine(given, SharedDependencies.FileName)).Apps.Single().Stack);
            Assert.Contains($"OIDC_PROVIDER={provider.Stack}_app", await File.ReadAllTextAsync(Path.Combine(folder, r.Stages.Single(s => s.Stage == StageId.VetBase).Folder, "app.env")));
            var log = await File.ReadAllTextAsync(Path.Combine(folder, deps.Folder, "provision-swidp.log"));
            clients.Add(System.Text.RegularExpressions.Regex.Match(log, "created client (client-[0-9a-f]{8}) for ").Groups[1].Value);
            // The shared provider's own secret, which the hook said, is known to this run's redactor too: in no file of the run.
            Assert.Contains("using the admin password [REDACTED]", log);
            var depsLog = await File.ReadAllTextAsync(Path.Combine(folder, deps.Folder, "console.log"));
            Assert.Contains("dependency swidp: 1 of its 1 secrets read inside its containers, redacted in this run", depsLog);
            // Each run's own hook gave its own test user's password for its checks, redacted in its run as in a run-scoped one.
            Assert.Contains("check values oidc_test_password", depsLog);
            Assert.Contains("check oidc_test_password [REDACTED]", log);
            var said = System.Text.RegularExpressions.Regex.Match(string.Concat(Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(File.ReadAllText)),
                @"using the admin password (?!\[REDACTED\])\S+");
            Assert.False(said.Success, $"the shared provider's admin password was written in {line.Evidence}: {said.Value}");
            Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        }
        // Each run its own client of the one provider.
        Assert.All(clients, c => Assert.StartsWith("client-", c));
        Assert.Equal(2, clients.Distinct().Count());
        // Torn down after the last recipe ended, verified clean, its lock file gone.
        Assert.True(provider.Teardown!.Clean);
        Assert.True(provider.FinishedAt > Sweeping.Summary(_ws, "sd1").Recipes.Max(_ => RunResult.Read(Path.Combine(sweep, _.Evidence!, RunResult.FileName)).FinishedAt));
        Assert.Empty(await Workspace.LeftoversAsync(provider.Stack));
        Assert.Empty(Directory.GetFiles(_ws.LockDir, "recipe-ci-*.lock"));
    }

    [Fact]
    public async Task A_sweep_scoped_provider_that_does_not_install_makes_each_recipe_that_needs_it_an_error()
    {
        var run = await SweepSharingAsync("swidpbad", ["swoidcx", "swoidcy"], brokenProvider: true);

        var report = Sweeping.Report(_ws, "sd1");
        var sweep = Sweeping.Folder(_ws, "sd1");
        var provider = RunResult.Read(Path.Combine(sweep, DependencyApps.DepsFolder, "swidpbad", RunResult.FileName));
        Assert.NotEqual(Verdict.Passed, provider.Verdict);
        foreach (var line in Sweeping.Summary(_ws, "sd1").Recipes)
        {
            Assert.True(line.Verdict == Verdict.Error, run.Output + report);
            var r = RunResult.Read(Path.Combine(sweep, line.Evidence!, RunResult.FileName));
            var deps = r.Stages.Single(s => s.Stage == StageId.Dependencies);
            Assert.Equal(StageStatus.Error, deps.Status);
            Assert.StartsWith("dependency swidpbad, shared by the sweep, did not install (AwaitBaseConvergence failed: ", deps.Reason);
            Assert.Contains("not the recipe's fault", deps.Reason);
            Assert.All(r.Stages.Where(s => s.Name is "VetBase" or "DeployBase"), s => Assert.Equal(StageStatus.Unverified, s.Status));
        }
        Assert.Empty(Sweeping.Summary(_ws, "sd1").Regressions);
        Assert.True(provider.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(provider.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
