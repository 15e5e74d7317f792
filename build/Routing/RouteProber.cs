using System.Globalization;
using System.Net;
using RecipeCi.Naming;
using RecipeCi.Swarm;

namespace RecipeCi.Routing;

/// <summary>
/// Reaches a deployed stack the way traefik would, from its labels as swarm holds them: for each
/// router that names the app's domain, it asks the service's task at its address on the proxy network
/// from the <see cref="ProxyHelper"/> (busybox nc, one HTTP/1.0 request with the visitor's Host header
/// and traefik's X-Forwarded headers; redirects are reported, not followed), and reads the sockets
/// listening in the task's container from the host's /proc.
/// </summary>
public sealed class RouteProber(DockerCli docker, ProxyHelper helper)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <param name="origins">Where each service's labels were written (<see cref="Recipes.RecipeProject.LabelOrigins"/>), by compose service; may be empty.</param>
    public async Task<RoutingReport> ProbeAsync(StackName stack, RoutingExpectation expect,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> origins, CancellationToken ct)
    {
        var plan = await PlanAsync(stack, expect, origins, ct);
        var observed = new Dictionary<RouteRequest, RouteObservation>();
        foreach (var request in plan.Requests.Distinct())
            observed[request] = await ObserveAsync(stack, request, ct);
        return RoutingJudge.Judge(plan, observed);
    }

    /// <summary>
    /// The route a visitor's browser takes to the app: the first router that names the domain and the
    /// address of its service's task on the proxy network; or why there is none.
    /// </summary>
    public async Task<(RouteRequest? Request, IPAddress? Address, string? Why)> VisitorRouteAsync(StackName stack, RoutingExpectation expect, CancellationToken ct)
    {
        var plan = await PlanAsync(stack, expect, new Dictionary<string, IReadOnlyDictionary<string, string>>(), ct);
        if (plan.Requests.FirstOrDefault() is not { } request) return (null, null, RoutingJudge.Judge(plan, new Dictionary<RouteRequest, RouteObservation>()).Reason);
        var (_, address, why) = await TaskOnProxyAsync(stack.Of(request.Service), ct);
        return (request, address, why);
    }

    private async Task<RoutingPlan> PlanAsync(StackName stack, RoutingExpectation expect,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> origins, CancellationToken ct)
    {
        var services = (await docker.StackServicesAsync(stack.Value, ct)).Where(s => stack.Owns(s.Name))
            .Select(s =>
            {
                var name = stack.NameOf(s.Name);
                return ServiceTraefik.Read(name, s.Spec.Labels, origins.GetValueOrDefault(name));
            }).ToList();
        return RoutingPlan.Of(services, expect);
    }

    /// <summary>The task a request goes to: its container and its address on the proxy network, or why there is none.</summary>
    public async Task<(string? Container, IPAddress? Address, string? Why)> TaskOnProxyAsync(string swarmService, CancellationToken ct)
    {
        var running = (await docker.TasksAsync(swarmService, upToDate: true, ct))
            .Where(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running } && t.Status.ContainerStatus?.ContainerID is not null).ToList();
        if (running.Count == 0) return (null, null, $"no task of {swarmService} runs on its current spec");
        // traefik balances over every task; the probe asks the first, as one visitor would reach one.
        var task = running[0];
        var cidr = task.NetworksAttachments.FirstOrDefault(n => n.Network.Spec.Name == helper.Network)?.Addresses.FirstOrDefault();
        if (cidr is null || !IPAddress.TryParse(cidr.Split('/')[0], out var address))
            return (task.Status.ContainerStatus!.ContainerID, null,
                $"{swarmService} is not on the {helper.Network} network, where traefik reaches apps (give the service networks: [{helper.Network}] and declare {helper.Network} external)");
        return (task.Status.ContainerStatus!.ContainerID, address, null);
    }

    private async Task<RouteObservation> ObserveAsync(StackName stack, RouteRequest r, CancellationToken ct)
    {
        var (container, address, why) = await TaskOnProxyAsync(stack.Of(r.Service), ct);
        if (why is not null || container is null || address is null) return RouteObservation.Unreached(why ?? "no task");
        var state = await docker.ContainerStateAsync(container, ct);
        var listening = state is { Pid: > 0 } ? new ContainerProcess(state.Pid, container).ListeningSockets() : null;
        var result = await helper.ShAsync("""
            { printf 'GET %s HTTP/1.0\r\nHost: %s\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: %s\r\nX-Forwarded-Port: 443\r\n' "$1" "$2" "$2"
              [ -z "$5" ] || printf 'X-Forwarded-Prefix: %s\r\n' "$5"
              printf 'Connection: close\r\n\r\n'; } | nc -w 5 "$3" "$4" | head -c 16384
            """, AskTimeout, ct, r.Path, r.Host, address.ToString(), r.Port.ToString(CultureInfo.InvariantCulture), r.ForwardedPrefix ?? "");
        var answer = HttpAnswer.Parse(result.Stdout);
        var noAnswer = answer is not null ? null
            : result.Stderr.Trim() is { Length: > 0 } complaint ? complaint : "the connection closed without an answer";
        return new RouteObservation(address.ToString(), listening, answer, noAnswer);
    }
}

/// <summary>The host's view of a container's main process, for reading its sockets or joining its network namespace.</summary>
public sealed record ContainerProcess(int Pid, string ContainerId)
{
    /// <summary>
    /// Whether <see cref="Pid"/> is this host's process of that container: a pid from a remote
    /// engine, or of a container that ended, names some other process here or none.
    /// </summary>
    public bool IsOnThisHost()
    {
        try { return Pid > 0 && ContainerId.Length > 0 && File.ReadAllText($"/proc/{Pid}/cgroup").Contains(ContainerId, StringComparison.Ordinal); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>
    /// The TCP sockets listening in the container's network namespace, read from the host's
    /// <c>/proc/&lt;pid&gt;/net/tcp</c> and <c>tcp6</c> (nothing is needed from the image). Null when
    /// the process is not this host's process of that container (a remote engine, or it ended): the
    /// judge then goes by the HTTP answer alone rather than by another process's sockets.
    /// </summary>
    public IReadOnlyList<ListeningSocket>? ListeningSockets()
    {
        try
        {
            if (!IsOnThisHost()) return null;
            return [.. SocketTable.Parse(File.ReadAllText($"/proc/{Pid}/net/tcp")), .. SocketTable.Parse(File.ReadAllText($"/proc/{Pid}/net/tcp6"))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The kernel's table of TCP sockets (<c>/proc/&lt;pid&gt;/net/tcp</c>, <c>tcp6</c>), read for the listening ones.</summary>
public static class SocketTable
{
    private const string Listen = "0A";

    /// <summary>Docker's embedded DNS listens in every container on a user network; it is docker's socket, not the app's.</summary>
    private static readonly IPAddress DockerDns = IPAddress.Parse("127.0.0.11");

    /// <summary>The app's listening sockets in one /proc/net/tcp or tcp6 table (addresses in the kernel's byte order).</summary>
    public static IEnumerable<ListeningSocket> Parse(string table)
    {
        foreach (var line in table.Split('\n').Skip(1))
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 4 || cols[3] != Listen) continue;
            var local = cols[1].Split(':');
            if (local.Length != 2) continue;
            var raw = Convert.FromHexString(local[0]);
            // Each 32-bit word is in host order (little-endian here): reverse every word.
            for (var i = 0; i < raw.Length; i += 4) Array.Reverse(raw, i, 4);
            var address = new IPAddress(raw);
            if (!address.Equals(DockerDns)) yield return new ListeningSocket(address, int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }
}
