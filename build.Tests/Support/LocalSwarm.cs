using RecipeCi.Machine;
using RecipeCi.Processes;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Makes the machine's swarm ready once per test run (idempotent). A static task rather than a
/// collection fixture, so that scenario classes stay in collections of their own and run in parallel.
/// </summary>
public static class LocalSwarm
{
    private static readonly Lazy<Task> Ready = new(() =>
        new LocalSwarmBootstrap(new CommandRunner(), TimeProvider.System, _ => { }).RunAsync(CancellationToken.None));

    public static Task EnsureAsync() => Ready.Value;
}
