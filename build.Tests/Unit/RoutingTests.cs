using System.Net;
using Newtonsoft.Json.Linq;
using RecipeCi.Recipes;
using RecipeCi.Routing;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// The routing judge on the labels of <c>docker service inspect</c> (build.Tests/Fixtures/Routing),
/// with what answered made up per case: a fixture's app listens on the ports the case says.
/// </summary>
public sealed class RoutingTests
{
    private const string Stack = "hell-abc123_ci_local";
    private const string Domain = "hell-abc123.ci.local";
    private static readonly RoutingExpectation Expect = new(Domain, RoutingExpectation.AbraEntryPoint, "production");

    private static List<ServiceTraefik> Fixture(string name) =>
        JArray.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "build.Tests", "Fixtures", "Routing", name + ".json")))
            .Cast<JObject>().Select(DockerCli.ToService)
            .Select(s =>
            {
                var service = s.Name[(Stack.Length + 1)..];
                return ServiceTraefik.Read(service, s.Spec.Labels);
            }).ToList();

    /// <summary>Each service listens on all addresses at its ports and answers 200 there; elsewhere the connection is refused.</summary>
    private static Func<RouteRequest, RouteObservation> Listening(Dictionary<string, int[]> ports, string statusLine = "HTTP/1.1 200 OK") => r =>
    {
        var open = ports.GetValueOrDefault(r.Service) ?? [];
        return new RouteObservation("10.0.1.6", open.Select(p => new ListeningSocket(IPAddress.IPv6Any, p)).ToList(),
            open.Contains(r.Port) ? HttpAnswer.Parse(statusLine + "\r\nLocation: https://elsewhere/\r\n\r\n") : null,
            open.Contains(r.Port) ? null : "nc: can't connect to remote host (10.0.1.6): Connection refused");
    };

    private static readonly Dictionary<string, int[]> AppOn80 = new() { ["app"] = [80] };

    private static (RoutingPlan Plan, RoutingReport Report) Judge(List<ServiceTraefik> services, Func<RouteRequest, RouteObservation> observe, RoutingExpectation? expect = null)
    {
        var plan = RoutingPlan.Of(services, expect ?? Expect);
        return (plan, RoutingJudge.Judge(plan, plan.Requests.ToDictionary(r => r, observe)));
    }

    [Fact]
    public void Right_labels_pass_naming_what_was_asked_and_what_answered()
    {
        var (plan, report) = Judge(Fixture("green"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Passed, report.Outcome);
        var request = Assert.Single(plan.Requests);
        Assert.Equal(("app", 80, "/", Domain), (request.Service, request.Port, request.Path, request.Host));
        Assert.Contains($"asked GET http://10.0.1.6:80/ with Host: {Domain} from the proxy network: answered HTTP/1.1 200 OK", report.Reason);
        Assert.Contains($"traefik.http.routers.{Stack}.rule=Host(`{Domain}`)", report.Reason);
    }

    [Fact]
    public void Labels_on_a_service_that_does_not_serve_fail_naming_the_port_label_and_the_service()
    {
        var (plan, report) = Judge(Fixture("wrong-service"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Failed, report.Outcome);
        Assert.Equal("db", Assert.Single(plan.Requests).Service);
        Assert.Contains($"traefik.http.services.{Stack}.loadbalancer.server.port=80: nothing listens on port 80 in db's container (it listens on no TCP port)", report.Reason);
    }

    [Fact]
    public void A_rule_naming_another_domain_fails_naming_the_rule_and_the_domain_it_names()
    {
        var (plan, report) = Judge(Fixture("other-domain"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Failed, report.Outcome);
        Assert.Empty(plan.Requests);
        Assert.Equal($"no router rule sends {Domain} to the app: traefik.http.routers.{Stack}.rule=Host(`app.example.org`): names app.example.org, not {Domain}", report.Reason);
    }

    [Fact]
    public void A_port_nothing_listens_on_fails_naming_the_label_and_the_ports_that_do_listen()
    {
        var (_, report) = Judge(Fixture("wrong-port"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Failed, report.Outcome);
        Assert.Contains($"traefik.http.services.{Stack}.loadbalancer.server.port=8080: nothing listens on port 8080 in app's container (it listens on 80)", report.Reason);
    }

    [Fact]
    public void Without_a_socket_table_the_answer_decides_and_says_what_the_connection_said()
    {
        var (_, report) = Judge(Fixture("wrong-port"), r => Listening(AppOn80)(r) with { Listening = null });

        Assert.Equal(RouteOutcome.Failed, report.Outcome);
        Assert.Contains("asked GET http://10.0.1.6:8080/ with Host: hell-abc123.ci.local from the proxy network: no HTTP answer (nc: can't connect to remote host (10.0.1.6): Connection refused)", report.Reason);
    }

    [Fact]
    public void An_and_or_rule_routes_the_domain_through_its_alternative_and_reports_what_it_does_not_follow()
    {
        var (plan, report) = Judge(Fixture("and-or"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Passed, report.Outcome);
        Assert.Equal("/", Assert.Single(plan.Requests).Path);
        Assert.Contains("rule matcher !Method(`DELETE`)", Assert.Single(Assert.Single(report.Findings).NotFollowed));
    }

    [Fact]
    public void PathPrefix_with_stripprefix_asks_the_stripped_path_and_other_middlewares_are_not_followed()
    {
        var (plan, report) = Judge(Fixture("pathprefix-stripprefix"), Listening(AppOn80, "HTTP/1.1 302 Found"));

        var request = Assert.Single(plan.Requests);
        Assert.Equal(("/", "/hello"), (request.Path, request.ForwardedPrefix));
        Assert.Equal(RouteOutcome.Passed, report.Outcome);
        Assert.Contains("and X-Forwarded-Prefix: /hello", report.Reason);
        Assert.Contains("answered HTTP/1.1 302 Found -> https://elsewhere/", report.Reason);
        var notFollowed = Assert.Single(report.Findings).NotFollowed;
        Assert.Equal(2, notFollowed.Count);
        Assert.Contains(notFollowed, n => n.StartsWith($"middleware {Stack}-redirect (redirectregex, traefik.http.middlewares.{Stack}-redirect.redirectregex", StringComparison.Ordinal));
        Assert.Contains(notFollowed, n => n.StartsWith("middleware security@file", StringComparison.Ordinal) && n.Contains("traefik's file provider"));
    }

    [Fact]
    public void Stripprefix_not_matching_the_path_leaves_it_as_traefik_would()
    {
        var services = Fixture("pathprefix-stripprefix");
        var app = services[0] with { Middlewares = [services[0].Middlewares.Single(m => m.Followed) with { StripPrefixes = ["/other"] }] };

        var (plan, _) = Judge([app, services[1]], Listening(AppOn80));

        Assert.Equal(("/hello", (string?)null), (Assert.Single(plan.Requests).Path, Assert.Single(plan.Requests).ForwardedPrefix));
    }

    [Fact]
    public void HostRegexp_is_reported_as_not_followed_never_guessed()
    {
        var (plan, report) = Judge(Fixture("hostregexp"), Listening(AppOn80));

        Assert.Empty(plan.Requests);
        Assert.Equal(RouteOutcome.NotFollowed, report.Outcome);
        Assert.Contains("HostRegexp(`{sub:[a-z]+}.ci.local`) is not followed", report.Reason);
    }

    [Fact]
    public void Router_labels_without_traefik_enable_fail_saying_traefik_ignores_them()
    {
        var (_, report) = Judge(Fixture("not-enabled"), Listening(AppOn80));

        Assert.Equal(RouteOutcome.Failed, report.Outcome);
        Assert.Contains("app has traefik router, service or middleware labels but not traefik.enable=true: abra's traefik ignores them", report.Reason);
    }

    [Fact]
    public void A_stack_without_traefik_labels_is_not_probed()
    {
        var (plan, report) = Judge(Fixture("no-traefik"), Listening(AppOn80));

        Assert.Empty(plan.Requests);
        Assert.Equal((RouteOutcome.NotProbed, "no service has traefik labels"), (report.Outcome, report.Reason));
    }

    [Fact]
    public void Entrypoint_and_cert_resolver_are_the_servers_and_are_configurable()
    {
        var green = Fixture("green");

        var staging = Judge(green, Listening(AppOn80), Expect with { CertResolver = "staging" }).Report;
        var websecure = Judge(green, Listening(AppOn80), Expect with { EntryPoint = "websecure" }).Report;

        Assert.Equal(RouteOutcome.Failed, staging.Outcome);
        Assert.Contains($"traefik.http.routers.{Stack}.tls.certresolver=production: abra's traefik defines the cert resolver 'staging'", staging.Reason);
        Assert.Equal(RouteOutcome.Failed, websecure.Outcome);
        Assert.Contains($"traefik.http.routers.{Stack}.entrypoints=web-secure: abra's traefik serves apps on the entrypoint 'websecure'", websecure.Reason);
        Assert.Equal(RouteOutcome.Passed, Judge(green, Listening(AppOn80), Expect with { CertResolver = null }).Report.Outcome);
    }

    [Fact]
    public void The_cert_resolver_expected_is_the_apps_LETS_ENCRYPT_ENV()
    {
        Assert.Equal("staging", RoutingExpectation.For(Domain, new Dictionary<string, string> { ["LETS_ENCRYPT_ENV"] = "staging" }).CertResolver);
        Assert.Null(RoutingExpectation.For(Domain, new Dictionary<string, string> { ["LETS_ENCRYPT_ENV"] = "" }).CertResolver);
        Assert.Equal("le", RoutingExpectation.For(Domain, new Dictionary<string, string>(), certResolver: "le").CertResolver);
    }

    [Fact]
    public void A_port_on_loopback_only_a_server_error_or_no_proxy_network_fail_with_what_was_seen()
    {
        var green = Fixture("green");

        var loopback = Judge(green, r => Listening(AppOn80)(r) with { Listening = [new ListeningSocket(IPAddress.Loopback, 80)] }).Report;
        var broken = Judge(green, Listening(AppOn80, "HTTP/1.1 502 Bad Gateway")).Report;
        var off = Judge(green, _ => RouteObservation.Unreached("hell-abc123_ci_local_app is not on the proxy network")).Report;

        Assert.Contains("app listens on 127.0.0.1:80 only, which traefik on the proxy network cannot reach", loopback.Reason);
        Assert.Contains("answered HTTP/1.1 502 Bad Gateway", broken.Reason);
        Assert.Contains("is not on the proxy network", off.Reason);
        Assert.All([loopback, broken, off], r => Assert.Equal(RouteOutcome.Failed, r.Outcome));
    }

    [Fact]
    public void A_failure_names_the_file_and_line_the_label_was_written_at()
    {
        var compose = ComposeFile.Parse("""
            services:
              app:
                image: recipe-ci/busybox:1
                deploy:
                  labels:
                    - "traefik.enable=true"
                    - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080"
                    - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"
                    - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"
                    - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"
            """, "compose.yml");
        var env = new Dictionary<string, string> { ["STACK_NAME"] = Stack, ["DOMAIN"] = Domain, ["LETS_ENCRYPT_ENV"] = "production" };
        var project = new RecipeProject([compose], env);
        var app = project.Service("app")!;

        var (_, report) = Judge([ServiceTraefik.Read("app", project.Labels(app), project.LabelOrigins(app))], Listening(AppOn80), RoutingExpectation.For(Domain, env));

        Assert.Contains($"traefik.http.services.{Stack}.loadbalancer.server.port=8080 (compose.yml:7): nothing listens on port 8080", report.Reason);
    }

    [Theory]
    [InlineData("Host(`a.org`, `b.org`)", "b.org", "/")]
    [InlineData("Host(`B.org`) && PathPrefix(`/x`)", "b.org", "/x")]
    [InlineData("Host(`a.org`) || (Host(`b.org`) && Path(`/only`))", "b.org", "/only")]
    [InlineData("PathPrefix(`/api`)", "any.org", "/api")]
    [InlineData("!(Host(`a.org`) || Method(`POST`)) && Host(`b.org`)", "b.org", "/")]
    [InlineData("Host(\"b.org\")", "b.org", "/")]
    public void Rules_route_a_domain_as_traefik_matches_it(string text, string domain, string path)
    {
        Assert.True(RouterRule.TryParse(text, out var rule, out var error), error);
        Assert.Equal(path, rule.RouteFor(domain)?.Path);
    }

    [Theory]
    [InlineData("Host(`a.org`) && Host(`b.org`)", "a.org")]
    [InlineData("Host(`a.org`) && PathPrefix(`/x`)", "b.org")]
    [InlineData("HostRegexp(`{x:.+}`)", "a.org")]
    public void Rules_that_do_not_route_a_domain_give_no_route(string text, string domain)
    {
        Assert.True(RouterRule.TryParse(text, out var rule, out var error), error);
        Assert.Null(rule.RouteFor(domain));
    }

    [Theory]
    [InlineData("Host(a.org)", "expected a value in backquotes, e.g. `example.org` at character 6, found 'a.org)'")]
    [InlineData("Host:a.org", "expected '(' at character 5, found ':a.org'")]
    [InlineData("Host(`a.org`) &&", "expected a matcher such as Host(`example.org`) at character 17, found the end")]
    [InlineData("(Host(`a.org`)", "expected ')' at character 15, found the end")]
    [InlineData("Host(`a.org", "expected the closing ` at character 12, found the end")]
    public void A_rule_that_does_not_parse_says_where_and_what_was_expected(string text, string error)
    {
        Assert.False(RouterRule.TryParse(text, out _, out var said));
        Assert.Equal(error, said);
    }

    [Fact]
    public void Listening_sockets_are_read_from_the_kernels_tables_without_dockers_dns()
    {
        const string tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0B00007F:B6B9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 434413 1 000000007dfbf91e 100 0 0 10 0
               1: 0100007F:0051 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 434415 1 000000007dfbf91e 100 0 0 10 0
               2: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 434414 1 000000007dfbf91e 100 0 0 10 0
            """;
        const string tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 434527 1 0000000008c73a07 100 0 0 10 0
               1: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 434528 1 0000000008c73a07 100 0 0 10 0
            """;

        var sockets = SocketTable.Parse(tcp).Concat(SocketTable.Parse(tcp6)).ToList();

        Assert.Equal(["127.0.0.1:81", "8080", "[::1]:3000"], sockets.Select(s => s.ToString()));
        Assert.Equal([true, false, true], sockets.Select(s => s.Loopback));
    }

    [Fact]
    public void An_answer_is_http_only_with_a_status_line()
    {
        Assert.Equal(new HttpAnswer(301, "HTTP/1.0 301 Moved Permanently", "https://a.org/"), HttpAnswer.Parse("HTTP/1.0 301 Moved Permanently\r\nlocation: https://a.org/\r\n\r\nbody"));
        Assert.Null(HttpAnswer.Parse("SSH-2.0-OpenSSH_9.2\r\n"));
        Assert.Null(HttpAnswer.Parse(""));
    }
}
