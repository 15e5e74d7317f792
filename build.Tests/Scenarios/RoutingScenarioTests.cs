using System.Diagnostics;
using RecipeCi.Naming;
using RecipeCi.Routing;
using RecipeCi.Tests.Support;
using Xunit.Abstractions;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The routing probe against stacks deployed on the real swarm: busybox httpd on port 8080 on the
/// proxy network, routed by its labels. Three stacks, deployed side by side: right labels, labels
/// naming port 80, and a rule naming another domain.
/// </summary>
public sealed class RoutingScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Right_labels_pass_a_wrong_port_fails_and_a_wrong_domain_fails()
    {
        await LocalSwarm.EnsureAsync();
        await using var right = new ScratchStack();
        await using var wrongPort = new ScratchStack();
        await using var wrongDomain = new ScratchStack();
        string DomainOf(ScratchStack s) => $"{s.Name}.ci.local";
        await Task.WhenAll(
            right.DeployAsync(RoutedApp.HttpdOn8080("app", RoutedApp.Labels(right.Name, DomainOf(right), 8080))),
            wrongPort.DeployAsync(RoutedApp.HttpdOn8080("app", RoutedApp.Labels(wrongPort.Name, DomainOf(wrongPort), 80))),
            wrongDomain.DeployAsync(RoutedApp.HttpdOn8080("app", RoutedApp.Labels(wrongDomain.Name, "app.example.org", 8080))));
        await Task.WhenAll(new[] { right, wrongPort, wrongDomain }.Select(s => RoutedApp.RunningAsync(s, "app")));
        await using var helper = RoutedApp.Helper(right);
        var prober = new RouteProber(right.Docker, helper);
        Task<RoutingReport> ProbeAsync(ScratchStack s) => prober.ProbeAsync(new StackName(s.Name),
            new RoutingExpectation(DomainOf(s), RoutingExpectation.AbraEntryPoint, RoutedApp.Resolver), new Dictionary<string, IReadOnlyDictionary<string, string>>(), CancellationToken.None);
        await helper.EnsureAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var passed = await ProbeAsync(right);
        output.WriteLine($"one probe of a started helper: {clock.Elapsed.TotalSeconds:0.000} s");
        var port = await ProbeAsync(wrongPort);
        var domain = await ProbeAsync(wrongDomain);

        Assert.True(passed.Outcome == RouteOutcome.Passed, passed.Reason);
        Assert.Matches($@"asked GET http://10\.\d+\.\d+\.\d+:8080/ with Host: {DomainOf(right)} from the proxy network: answered HTTP/1\.[01] 200 OK", passed.Reason);
        Assert.Equal(RouteOutcome.Failed, port.Outcome);
        Assert.Contains($"traefik.http.services.{wrongPort.Name}.loadbalancer.server.port=80: nothing listens on port 80 in app's container (it listens on 8080)", port.Reason);
        Assert.Equal(RouteOutcome.Failed, domain.Outcome);
        Assert.Equal($"no router rule sends {DomainOf(wrongDomain)} to the app: traefik.http.routers.{wrongDomain.Name}.rule=Host(`app.example.org`): names app.example.org, not {DomainOf(wrongDomain)}", domain.Reason);
    }
}
