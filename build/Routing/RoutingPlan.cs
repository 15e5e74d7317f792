using RecipeCi.Recipes;

namespace RecipeCi.Routing;

/// <summary>What a router's or a stack's routing came to.</summary>
public enum RouteOutcome
{
    Passed,
    Failed,
    /// <summary>It needs what the probe does not follow (a <c>HostRegexp</c>): reported, never guessed.</summary>
    NotFollowed,
    /// <summary>Nothing to ask: no traefik labels, or a router for another domain.</summary>
    NotProbed,
}

/// <summary>
/// What an abra server's traefik offers an app: its domain, the entrypoint it serves apps on and the
/// certificate resolver it defines.
/// </summary>
/// <param name="CertResolver">Null when the app's env names none (nothing to compare).</param>
public sealed record RoutingExpectation(string Domain, string EntryPoint, string? CertResolver)
{
    public const string AbraEntryPoint = RoutingSetting.AbraEntryPoint;
    public const string AbraCertResolver = RoutingSetting.AbraCertResolver;

    /// <summary>The expectation for an app, its cert resolver read from the app's env (a template such as <see cref="AbraCertResolver"/>).</summary>
    public static RoutingExpectation For(string domain, IReadOnlyDictionary<string, string> appEnv,
        string entryPoint = AbraEntryPoint, string certResolver = AbraCertResolver) =>
        new(domain, entryPoint, EnvFile.Interpolate(certResolver, appEnv) is { Length: > 0 } resolver ? resolver : null);

    /// <summary>The expectation a recipe's <c>routing:</c> setting names.</summary>
    public static RoutingExpectation For(string domain, IReadOnlyDictionary<string, string> appEnv, RoutingSetting setting) =>
        For(domain, appEnv, setting.EntryPoint, setting.CertResolver);
}

/// <summary>
/// The request traefik would send for one router: to the service's task on the <c>proxy</c> network,
/// at the load balancer's port, with the visitor's Host header and the path after the router's
/// <c>stripprefix</c> middleware (then <see cref="ForwardedPrefix"/> is what it stripped).
/// </summary>
public sealed record RouteRequest(string Service, string Router, int Port, string Path, string Host, string? ForwardedPrefix, LabelRef Rule, LabelRef PortLabel)
{
    public string Describe(string target) =>
        $"GET http://{target}:{Port}{Path} with Host: {Host}{(ForwardedPrefix is null ? "" : $" and X-Forwarded-Prefix: {ForwardedPrefix}")}";
}

/// <summary>One router's judgement, or a service's when it has no router to judge.</summary>
public sealed record RouteFinding(string Service, string? Router, RouteOutcome Outcome, string Reason, IReadOnlyList<string> NotFollowed);

/// <summary>A router of the stack: judged from its labels alone (<see cref="Decided"/>), or a request to observe.</summary>
public sealed record RouterCheck(string Service, string Router, RouteRequest? Request, RouteFinding? Decided, IReadOnlyList<string> NotFollowed);

/// <summary>
/// What the labels of a deployed stack ask of traefik, read as traefik reads them: only services with
/// <c>traefik.enable=true</c>; a router's service may be defined on another service's labels and its
/// middlewares anywhere in the stack. Pure: the prober observes <see cref="Requests"/> and
/// <see cref="RoutingJudge"/> decides.
/// </summary>
public sealed record RoutingPlan(RoutingExpectation Expectation, IReadOnlyList<ServiceTraefik> Services, IReadOnlyList<RouterCheck> Checks)
{
    public IEnumerable<RouteRequest> Requests => Checks.Select(c => c.Request).OfType<RouteRequest>();

    public static RoutingPlan Of(IReadOnlyList<ServiceTraefik> services, RoutingExpectation expect)
    {
        var enabled = services.Where(s => s.Enabled).ToList();
        var checks = new List<RouterCheck>();
        foreach (var service in enabled)
            foreach (var router in service.Routers)
                checks.Add(Check(service, router, enabled, expect));
        return new RoutingPlan(expect, services, checks);
    }

    private static RouterCheck Check(ServiceTraefik owner, TraefikRouter router, IReadOnlyList<ServiceTraefik> enabled, RoutingExpectation expect)
    {
        RouterCheck Decide(RouteOutcome outcome, string reason, IReadOnlyList<string>? notFollowed = null) =>
            new(owner.Service, router.Name, null, new RouteFinding(owner.Service, router.Name, outcome, reason, notFollowed ?? []), notFollowed ?? []);
        var name = $"router {router.Name} of {owner.Service}";

        if (router.Rule is not { } ruleLabel)
            return Decide(RouteOutcome.NotProbed, $"{name} has no rule label: traefik gives it a default rule, which names no domain of this app");
        if (!RouterRule.TryParse(ruleLabel.Value, out var rule, out var syntax))
            return Decide(RouteOutcome.Failed, $"{ruleLabel}: the rule does not parse ({syntax}), so traefik drops {name}");
        if (rule.RouteFor(expect.Domain) is not { } route)
        {
            var patterns = rule.HostPatterns.ToList();
            if (patterns.Count > 0)
                return Decide(RouteOutcome.NotFollowed, $"{ruleLabel}: {string.Join(", ", patterns)} is not followed (the probe evaluates no host patterns)",
                    patterns.Select(p => $"rule matcher {p}").ToList());
            var hosts = rule.Hosts.ToList();
            return Decide(RouteOutcome.NotProbed, $"{ruleLabel}: names {(hosts.Count == 0 ? "no host" : string.Join(", ", hosts))}, not {expect.Domain}");
        }

        if (!router.EntryPointNames.Contains(expect.EntryPoint, StringComparer.Ordinal))
            return Decide(RouteOutcome.Failed, router.EntryPoints is { } eps
                ? $"{eps}: abra's traefik serves apps on the entrypoint '{expect.EntryPoint}', which this does not name"
                : $"{name} names no entrypoint (traefik.http.routers.{router.Name}.entrypoints={expect.EntryPoint}); abra's traefik serves apps on '{expect.EntryPoint}'");
        if (expect.CertResolver is { } resolver && router.CertResolver?.Value != resolver)
            return Decide(RouteOutcome.Failed, router.CertResolver is { } cr
                ? $"{cr}: abra's traefik defines the cert resolver '{resolver}' (LETS_ENCRYPT_ENV), not this one"
                : $"{name} names no cert resolver (traefik.http.routers.{router.Name}.tls.certresolver={resolver}): visitors would get no certificate");

        var (target, lb, problem) = Target(owner, router, enabled);
        if (target is null || lb is null) return Decide(RouteOutcome.Failed, problem!);
        if (lb.Port is not { } portLabel)
            return Decide(RouteOutcome.Failed,
                $"{target.Service} defines traefik service {lb.Name} without traefik.http.services.{lb.Name}.loadbalancer.server.port: traefik on swarm cannot tell which port to ask");
        if (!int.TryParse(portLabel.Value, out var port) || port is < 1 or > 65535)
            return Decide(RouteOutcome.Failed, $"{portLabel}: not a port number");

        var notFollowed = route.NotFollowed.Select(m => $"rule matcher {m} of {name}").ToList();
        var path = route.Path;
        string? stripped = null;
        var middlewares = enabled.SelectMany(s => s.Middlewares).ToList();
        foreach (var written in router.MiddlewareNames)
        {
            var at = written.IndexOf('@');
            var (mwName, provider) = at < 0 ? (written, "docker") : (written[..at], written[(at + 1)..]);
            if (provider != "docker") { notFollowed.Add($"middleware {written} of {name}: defined in traefik's {provider} provider"); continue; }
            var mw = middlewares.FirstOrDefault(m => m.Name == mwName);
            if (mw is null) { notFollowed.Add($"middleware {written} of {name}: defined in no label of this stack"); continue; }
            if (!mw.Followed) { notFollowed.Add($"middleware {mw.Name} ({mw.Kind}, {mw.Label}) of {name}"); continue; }
            // traefik's stripprefix removes the first listed prefix the path starts with.
            if (stripped is null && mw.StripPrefixes.FirstOrDefault(p => path.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
            {
                path = "/" + path[prefix.Length..].TrimStart('/');
                stripped = prefix;
            }
        }
        var request = new RouteRequest(target.Service, router.Name, port, path, expect.Domain, stripped, ruleLabel, portLabel);
        return new RouterCheck(owner.Service, router.Name, request, null, notFollowed);
    }

    /// <summary>
    /// The load-balanced service a router sends to: the one it names (defined on any enabled service of
    /// the stack), else the only one its own service defines.
    /// </summary>
    private static (ServiceTraefik? Owner, TraefikService? Lb, string? Problem) Target(ServiceTraefik owner, TraefikRouter router, IReadOnlyList<ServiceTraefik> enabled)
    {
        if (router.Service is { } named)
        {
            var lbName = named.Value.Split('@')[0];
            var found = enabled.SelectMany(s => s.Services.Select(lb => (Owner: s, Lb: lb))).FirstOrDefault(x => x.Lb.Name == lbName);
            return found.Lb is not null ? (found.Owner, found.Lb, null)
                : (null, null, $"{named}: no service with traefik.enable=true defines traefik service {lbName} (traefik.http.services.{lbName}.loadbalancer.server.port)");
        }
        return owner.Services.Count switch
        {
            1 => (owner, owner.Services[0], null),
            0 => (null, null, $"{owner.Service} has no traefik.http.services.<name>.loadbalancer.server.port label: traefik on swarm cannot tell which port to ask"),
            _ => (null, null, $"router {router.Name} of {owner.Service} names no service (traefik.http.routers.{router.Name}.service) and {owner.Service} defines several ({string.Join(", ", owner.Services.Select(s => s.Name))})"),
        };
    }
}
