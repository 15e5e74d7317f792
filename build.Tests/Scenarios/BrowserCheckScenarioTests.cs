using System.IO.Compression;
using RecipeCi.Browser;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Routing;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// Browser checks against a login page deployed on the real swarm, reached by its domain over the
/// route its traefik labels name: one logs in with a secret and screenshots the page behind the
/// login, one fails on a selector the page does not have, one opens the page behind a stripped prefix.
/// </summary>
public sealed class BrowserCheckScenarioTests : IDisposable
{
    private const string Password = "s3cret-Adm1n-passw0rd";
    private readonly string _root = Directory.CreateTempSubdirectory("recipe-ci-browser-").FullName;

    private string Tests => Path.Combine(_root, "tests", "login");

    private List<BrowserCheck> Checks(string yaml)
    {
        Directory.CreateDirectory(Tests);
        File.WriteAllText(Path.Combine(Tests, "checks.yaml"), yaml);
        return CheckReader.ReadFolder(Tests).OfType<BrowserCheck>().ToList();
    }

    [Fact]
    public async Task A_browser_logs_in_with_a_secret_and_screenshots_a_missing_selector_fails_naming_the_step_and_a_stripped_prefix_is_followed()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        await using var prefixed = new ScratchStack();
        var domain = $"{stack.Name}.ci.local";
        // The same page behind /hello, which traefik strips before the app sees the path.
        var behindPrefix = new Dictionary<string, string>(RoutedApp.Labels(prefixed.Name, $"{prefixed.Name}.ci.local", 8080))
        {
            [$"traefik.http.routers.{prefixed.Name}.rule"] = $"Host(`{prefixed.Name}.ci.local`) && PathPrefix(`/hello`)",
            [$"traefik.http.routers.{prefixed.Name}.middlewares"] = "strip",
            ["traefik.http.middlewares.strip.stripprefix.prefixes"] = "/hello",
        };
        await Task.WhenAll(stack.DeployAsync(RoutedApp.LoginOn8080("app", RoutedApp.Labels(stack.Name, domain, 8080), Password)),
            prefixed.DeployAsync(RoutedApp.LoginOn8080("app", behindPrefix, Password)));
        await Task.WhenAll(RoutedApp.RunningAsync(stack, "app"), RoutedApp.RunningAsync(prefixed, "app"));
        var checks = Checks("""
            checks:
              - name: admin logs in
                browser:
                  steps:
                    - goto: /
                    - expect_status: 200
                    - fill: {selector: "#password", value: "secret:admin_password"}
                    - click: "button[type=submit]"
                    - expect_url: /cgi-bin/admin
                    - expect_text: {text: "Welcome, admin", selector: h1}
                    - screenshot: logged-in
              - name: dashboard button
                browser:
                  steps:
                    - goto: /
                    - click: {selector: "#dashboard", timeout: 2}
              - name: behind a prefix
                browser:
                  steps:
                    - goto: /hello/
                    - expect_status: 200
                    - expect_text: Admin password
            """);
        var redactor = new Redactor();
        await using var helper = RoutedApp.Helper(stack);
        var runner = new BrowserRunner(new RouteProber(stack.Docker, helper), helper, redactor);
        var expect = new RoutingExpectation(domain, RoutingExpectation.AbraEntryPoint, RoutedApp.Resolver);
        BrowserTarget Target(string check) => new(Path.Combine(_root, "evidence", check),
            v => v is { Source: StepValueSource.Secret, Text: "admin_password" } ? Password : null);

        var login = await runner.RunAsync(checks[0], new StackName(stack.Name), expect, [], Target("login"), CancellationToken.None);
        var missing = await runner.RunAsync(checks[1], new StackName(stack.Name), expect, [], Target("missing"), CancellationToken.None);
        var stripped = await runner.RunAsync(checks[2], new StackName(prefixed.Name), expect with { Domain = $"{prefixed.Name}.ci.local" }, [], Target("prefix"), CancellationToken.None);

        Assert.True(login.Result.Passed, login.Result.Detail);
        Assert.Equal($"7 step(s) passed at http://{domain}/cgi-bin/admin; screenshots: logged-in.png", login.Result.Detail);
        Assert.Equal([Path.Combine(_root, "evidence", "login", "logged-in.png")], login.Screenshots);
        Assert.True(new FileInfo(login.Screenshots[0]).Length > 1000);
        Assert.False(missing.Result.Passed);
        Assert.StartsWith($"step 2 of 2 (click '#dashboard', {Path.Combine(Tests, "checks.yaml")}:16) failed after ", missing.Result.Detail);
        Assert.EndsWith($" s at http://{domain}/: '#dashboard' matched no element within 2 s; the page shows: 'Hello Admin password Log in'", missing.Result.Detail);
        Assert.Equal("failure.png", Path.GetFileName(Assert.Single(missing.Screenshots)));
        Assert.True(stripped.Result.Passed, stripped.Result.Detail);

        // The secret typed into the page is in no file the check kept: not the trace, not browser.json.
        foreach (var outcome in new[] { login, missing })
        {
            Assert.True(File.Exists(outcome.Trace), outcome.Trace);
            using var trace = ZipFile.OpenRead(outcome.Trace!);
            Assert.Contains(trace.Entries, e => e.FullName.EndsWith(".trace", StringComparison.Ordinal));
            foreach (var entry in trace.Entries)
            {
                using var text = new StreamReader(entry.Open());
                Assert.DoesNotContain(Password, await text.ReadToEndAsync());
            }
            Assert.DoesNotContain(Password, await File.ReadAllTextAsync(outcome.Log));
        }
        var log = await File.ReadAllTextAsync(login.Log);
        Assert.Contains("\"step\": \"fill '#password' with secret:admin_password\"", log);
        Assert.Contains($"\"url\":\"http://{domain}/cgi-bin/login\"", await ReadTraceAsync(login.Trace!));
    }

    private static async Task<string> ReadTraceAsync(string trace)
    {
        using var zip = ZipFile.OpenRead(trace);
        using var network = new StreamReader(zip.Entries.First(e => e.FullName.EndsWith(".network", StringComparison.Ordinal)).Open());
        return await network.ReadToEndAsync();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
