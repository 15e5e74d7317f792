using RecipeCi.Bench;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Tasks.Targets;

[TaskName("Bench")]
[TaskDescription("Benchmark convergence judges (this watcher, docker CLI --detach=false, docker-stack-wait rules) on the local swarm")]
[ReadsOptions("repeat artifacts")]
public sealed class BenchTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var docker = new DockerCli(new CommandRunner());
        var time = context.Clock;
        var watcher = new WatcherJudge(new ConvergenceWatcher(docker, time), time);
        IBenchJudge[] judges = [watcher, new DockerCliJudge(time), new StackWaitJudge(time)];
        var output = Path.Combine(context.Options.Artifacts, "bench");
        var started = time.GetUtcNow();
        var samples = await new BenchRunner(docker, Path.Combine(output, "work"), time, context.Say)
            .RunAsync(judges, context.Options.Repeat, context.Interrupt.Token);
        var report = new BenchReport(judges, samples, context.Options.Repeat, started);
        context.Say(report.Markdown());
        var (json, md) = report.Write(output);
        context.Say($"written: {json}, {md}");
        context.Say(report.GoalsMet(watcher.Name) ? "goals met by the recipe-ci watcher" : "goals NOT met by the recipe-ci watcher");
    }
}
