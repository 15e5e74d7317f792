using System.Globalization;
using System.Net;

namespace RecipeCi.Routing;

/// <summary>A TCP socket listening in a container's network namespace.</summary>
public sealed record ListeningSocket(IPAddress Address, int Port)
{
    public bool Loopback => IPAddress.IsLoopback(Address);

    public override string ToString() => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any) ? Port.ToString(CultureInfo.InvariantCulture)
        : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>The first line and the redirect target of an HTTP answer.</summary>
public sealed record HttpAnswer(int Status, string StatusLine, string? Location)
{
    /// <summary>An answer's head as it came off the wire, or null when it is no HTTP answer.</summary>
    public static HttpAnswer? Parse(string raw)
    {
        var lines = raw.Replace("\r", "").Split('\n');
        var first = lines[0].Trim();
        var words = first.Split(' ', 3);
        if (words.Length < 2 || !words[0].StartsWith("HTTP/", StringComparison.Ordinal) || words[1].Length != 3
            || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)) return null;
        var location = lines.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2))
            .FirstOrDefault(h => h.Length == 2 && h[0].Trim().Equals("Location", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        return new HttpAnswer(status, first, location);
    }
}

/// <summary>
/// What answered a <see cref="RouteRequest"/>: the task's address on the <c>proxy</c> network, the
/// sockets listening in its container (null: not observed), and the HTTP answer (or why none came).
/// </summary>
public sealed record RouteObservation(string Target, IReadOnlyList<ListeningSocket>? Listening, HttpAnswer? Answer, string? NoAnswer)
{
    /// <summary>Why there was nothing to ask (no running task, not on the proxy network), else null.</summary>
    public string? Unreachable { get; init; }

    public static RouteObservation Unreached(string why) => new("", null, null, null) { Unreachable = why };
}

/// <summary>A stack's routing: its outcome, one reason a person can act on, and every router's finding.</summary>
public sealed record RoutingReport(RouteOutcome Outcome, string Reason, IReadOnlyList<RouteFinding> Findings);

/// <summary>
/// Decides a stack's routing from its <see cref="RoutingPlan"/> and what answered each request: a
/// router passes when its port is one the container listens on beyond loopback and the request with
/// the app's Host header gets an HTTP answer below 500. Pure.
/// </summary>
public static class RoutingJudge
{
    public static RoutingReport Judge(RoutingPlan plan, IReadOnlyDictionary<RouteRequest, RouteObservation> observed)
    {
        var findings = new List<RouteFinding>();
        foreach (var service in plan.Services.Where(s => !s.Enabled && s.HasHttpLabels))
            findings.Add(new RouteFinding(service.Service, null, RouteOutcome.NotProbed,
                $"{service.Service} has traefik router, service or middleware labels but not traefik.enable=true: abra's traefik ignores them", []));
        foreach (var service in plan.Services.Where(s => s.Enabled && s.Routers.Count == 0 && !plan.Checks.Any(c => c.Request?.Service == s.Service)))
            findings.Add(new RouteFinding(service.Service, null, RouteOutcome.NotProbed,
                $"{service.Enable}: but {service.Service} has no router (traefik.http.routers.<name>.rule) and no router sends to it", []));
        foreach (var check in plan.Checks)
            findings.Add(check.Decided ?? Judge(check, check.Request!, observed.GetValueOrDefault(check.Request!)
                ?? RouteObservation.Unreached("not observed")));

        var domain = plan.Expectation.Domain;
        if (!plan.Services.Any(s => s.Enable is not null || s.HasHttpLabels))
            return new RoutingReport(RouteOutcome.NotProbed, "no service has traefik labels", findings);
        string Reasons(RouteOutcome outcome) => string.Join("; ", findings.Where(f => f.Outcome == outcome).Select(f => f.Reason));
        if (findings.Any(f => f.Outcome == RouteOutcome.Failed)) return new RoutingReport(RouteOutcome.Failed, Reasons(RouteOutcome.Failed), findings);
        if (findings.Any(f => f.Outcome == RouteOutcome.Passed)) return new RoutingReport(RouteOutcome.Passed, Reasons(RouteOutcome.Passed), findings);
        if (findings.Any(f => f.Outcome == RouteOutcome.NotFollowed)) return new RoutingReport(RouteOutcome.NotFollowed, Reasons(RouteOutcome.NotFollowed), findings);
        return new RoutingReport(RouteOutcome.Failed, $"no router rule sends {domain} to the app: {Reasons(RouteOutcome.NotProbed)}", findings);
    }

    private static RouteFinding Judge(RouterCheck check, RouteRequest r, RouteObservation o)
    {
        RouteFinding Found(RouteOutcome outcome, string reason) => new(check.Service, check.Router, outcome, reason, check.NotFollowed);
        var router = $"router {r.Router} of {check.Service} ({r.Rule})";
        if (o.Unreachable is { } why) return Found(RouteOutcome.Failed, $"{router}: {why}");
        if (o.Listening is { } listening)
        {
            var onPort = listening.Where(s => s.Port == r.Port).ToList();
            var all = listening.Count == 0 ? "no TCP port" : string.Join(", ", listening.Select(s => s.ToString()).Distinct());
            if (onPort.Count == 0)
                return Found(RouteOutcome.Failed, $"{r.PortLabel}: nothing listens on port {r.Port} in {r.Service}'s container (it listens on {all})");
            if (onPort.All(s => s.Loopback))
                return Found(RouteOutcome.Failed, $"{r.PortLabel}: {r.Service} listens on {string.Join(", ", onPort)} only, which traefik on the proxy network cannot reach");
        }
        var asked = $"{router} asked {r.Describe(o.Target)} from the proxy network";
        if (o.Answer is not { } answer) return Found(RouteOutcome.Failed, $"{asked}: no HTTP answer ({o.NoAnswer})");
        var answered = $"{asked}: answered {answer.StatusLine}{(answer.Location is null ? "" : $" -> {answer.Location}")}";
        return Found(answer.Status >= 500 ? RouteOutcome.Failed : RouteOutcome.Passed, answered);
    }
}
