using CliWrap;
using CliWrap.EventStream;
using Newtonsoft.Json;

namespace RecipeCi.Swarm;

/// <summary>
/// Swarm's own events about a stack, from <c>docker events</c>. Service events carry only the
/// service's name (no labels), so they are matched by name here, not by a label filter.
/// </summary>
public sealed class DockerStackEvents : IStackEvents
{
    public async IAsyncEnumerable<DockerEvent> ListenAsync(ConvergenceRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var names = request.Services.Select(request.FullName).ToHashSet();
        var cmd = Cli.Wrap("docker")
            .WithArguments(["events", "--format", "{{json .}}", "--filter", "type=service", "--filter", "type=container"])
            .WithValidation(CommandResultValidation.None);
        await using var lines = cmd.ListenAsync(ct).GetAsyncEnumerator(ct);
        while (true)
        {
            DockerEvent? e;
            try
            {
                if (!await lines.MoveNextAsync()) yield break;
                e = lines.Current is StandardOutputCommandEvent line ? JsonConvert.DeserializeObject<DockerEvent>(line.Text) : null;
            }
            catch (JsonException) { yield break; }                          // a line that is not an event: the poll still runs
            catch (System.ComponentModel.Win32Exception) { yield break; }    // no docker events: the poll still runs
            if (IsAbout(e, request.Stack, names)) yield return e!;
        }
    }

    internal static bool IsAbout(DockerEvent? e, string stack, IReadOnlySet<string> services) => e switch
    {
        { Type: "service" } => e.Attribute("name") is { } n && (services.Contains(n) || new StackName(stack).Owns(n)),
        // Healthcheck execs fire every interval and change nothing swarm reports.
        { Type: "container" } => e.Attribute(DockerCli.StackLabel) == stack && !e.Action.StartsWith("exec_", StringComparison.Ordinal),
        _ => false,
    };
}
