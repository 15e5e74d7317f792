using RecipeCi.Browser;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Routing;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

/// <summary>What a browser check says before any browser starts.</summary>
public sealed class BrowserRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recipe-ci-browser-run-").FullName;

    [Fact]
    public async Task Chromium_missing_fails_the_browser_check_naming_Bootstrap_and_keeps_its_log()
    {
        var docker = new DockerCli(new CommandRunner());
        var helper = ProxyHelper.For(docker, "recipe-ci-proxy-unused", "proxy", "recipe-ci/busybox:1");
        var runner = new BrowserRunner(new RouteProber(docker, helper), helper, new Redactor()) { ChromiumPath = "/nonexistent/chromium" };
        var check = new BrowserCheck("home", [new GotoStep("tests/hello/checks.yaml:4", CheckReader.DefaultStepTimeout, "/")]);

        var outcome = await runner.RunAsync(check, new StackName("hell-abc123_ci_local"), new RoutingExpectation("hell-abc123.ci.local", "web-secure", null), [],
            new BrowserTarget(_folder, _ => null), CancellationToken.None);

        Assert.False(outcome.Result.Passed);
        Assert.Equal("chromium is not installed (/nonexistent/chromium). Fix: ./build.sh --target=Bootstrap (it installs Debian's chromium)", outcome.Result.Detail);
        Assert.Null(outcome.Trace);
        Assert.Empty(outcome.Screenshots);
        Assert.Contains("\"check\": \"home\"", File.ReadAllText(outcome.Log));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
