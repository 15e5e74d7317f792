using RecipeCi.Processes;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>The watcher's real event source: swarm's own events about a stack, through the journaled runner.</summary>
public sealed class StackEventsTests
{
    [Fact]
    public async Task An_update_of_the_stack_is_heard_and_the_listening_is_journaled_once_it_stopped()
    {
        await LocalSwarm.EnsureAsync();
        await using var stack = new ScratchStack();
        await stack.DeployAsync(new ScratchService("app"));
        await stack.UntilAsync("app", ScratchStack.Running);
        var journal = new RecordingJournal();
        stack.Docker.Runner.Journal = journal;
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var heard = Task.Run(async () =>
        {
            await foreach (var e in new DockerStackEvents(stack.Docker).ListenAsync(stack.Request(TimeSpan.FromMinutes(2), "app"), patience.Token))
                return e;
            return null;
        });
        // The listener is up at some moment after it was asked for: changes go on until it hears one.
        for (var version = 2; !heard.IsCompleted && !patience.IsCancellationRequested; version++)
        {
            await stack.Docker.ServiceSetEnvAsync(stack.Service("app"), "V", $"{version}", detach: true, CancellationToken.None);
            await Task.WhenAny(heard, Task.Delay(TimeSpan.FromSeconds(3)));
        }

        var e = await heard;
        Assert.NotNull(e);
        Assert.True(e.Attribute("name") == stack.Service("app") || e.Attribute(DockerCli.StackLabel) == stack.Name,
            $"{e.Type} {e.Action} is not about {stack.Name}");
        var listened = Assert.Single(journal.Records, r => r.Display.StartsWith("docker events", StringComparison.Ordinal));
        Assert.Equal(-1, listened.ExitCode);                       // stopped by its reader, not ended by docker
    }
}
