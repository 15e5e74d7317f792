using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Reaping;
using RecipeCi.Swarm;

namespace RecipeCi.Tasks.Targets;

[TaskName("Janitor")]
[TaskDescription("Reap the stacks of dead runs (their app-domain lock is free) and never touch live ones; prune bad-input messages past --retention-days; report under artifacts/janitor/")]
[ReadsOptions("lock-dir reap-unrecorded domain-suffix artifacts deadline retention-days")]
public sealed class JanitorTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var runner = new CommandRunner();
        var report = await new Janitor(new DockerCli(runner), runner, context.Clock, context.Options.Deadline, context.Options.Retention, context.Say)
            .RunAsync(context.Options.LockDir, context.Options.ReapUnrecorded ? context.Options.DomainSuffix : null,
                BadInputRecord.Root(context.Options.Artifacts), context.Interrupt.Token);
        var path = report.Write(context.Options.Artifacts);
        // Its answer after Cake's table, as every target's.
        context.SayLast(report.Pass(path).Line, report.Clean ? null : ConsoleColor.Red);
        context.SayLast($"Report: {path}");
        context.ExitCode = report.Clean ? 0 : 1;
    }
}
