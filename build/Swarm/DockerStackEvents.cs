using RecipeCi.Naming;

namespace RecipeCi.Swarm;

/// <summary>
/// Swarm's own events about a stack, from <c>docker events</c>; none when docker cannot give them
/// (the watcher's poll still runs). Service events carry only the service's name (no labels), so
/// they are matched by name here, not by a label filter.
/// </summary>
public sealed class DockerStackEvents(DockerCli docker) : IStackEvents
{
    public IAsyncEnumerable<DockerEvent> ListenAsync(ConvergenceRequest request, CancellationToken ct)
    {
        var names = request.Services.Select(request.FullName).ToHashSet();
        return docker.EventsAsync(["service", "container"], ct).Where(e => IsAbout(e, request.Stack, names));
    }

    internal static bool IsAbout(DockerEvent? e, string stack, IReadOnlySet<string> services) => e switch
    {
        { Type: "service" } => e.Attribute("name") is { } n && (services.Contains(n) || new StackName(stack).Owns(n)),
        // Healthcheck execs fire every interval and change nothing swarm reports.
        { Type: "container" } => e.Attribute(DockerCli.StackLabel) == stack && !e.Action.StartsWith("exec_", StringComparison.Ordinal),
        _ => false,
    };
}
