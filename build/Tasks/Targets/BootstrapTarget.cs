using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Machine;
using RecipeCi.Processes;

namespace RecipeCi.Tasks.Targets;

[TaskName("Bootstrap")]
[TaskDescription("Make this machine ready: docker engine, restic, git and chromium from Debian when missing, dockerd, a single-node swarm on 127.0.0.1, the attachable proxy network an abra server has, the base image")]
[ReadsOptions]
public sealed class BootstrapTarget : AsyncFrostingTask<RecipeContext>
{
    public override Task RunAsync(RecipeContext context) =>
        new LocalSwarmBootstrap(new CommandRunner(), context.Clock, context.Say).RunAsync(context.Interrupt.Token);
}
