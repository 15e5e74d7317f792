using RecipeCi.Bench;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Tasks.Targets;

[TaskName("Bench")]
[TaskDescription("Benchmark convergence judges (this watcher, docker CLI --detach=false, docker-stack-wait rules) on the local swarm, with --background upgrades of --recipe running meanwhile")]
[ReadsOptions("repeat background recipe catalog artifacts lock-dir domain-suffix")]
public sealed class BenchTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var docker = new DockerCli(new CommandRunner());
        var time = context.Clock;
        var watcher = new WatcherJudge(new ConvergenceWatcher(docker, time), time);
        IBenchJudge[] judges = [watcher, new DockerCliJudge(time), new StackWaitJudge(time)];
        var output = Path.Combine(context.Options.Artifacts, "bench");
        var o = context.Options;
        var started = time.GetUtcNow();
        List<BenchSample> samples;
        await using (var load = new BackgroundLoad(o.Background,
                         new BackgroundRuns(o.Recipe ?? "hello", Path.GetFullPath(o.Catalog), Path.GetFullPath(Path.Combine(output, "background")), o.LockDir, o.DomainSuffix),
                         time, context.Say))
        {
            load.Start();
            samples = await new BenchRunner(docker, Path.Combine(output, "work"), time, context.Say).RunAsync(judges, o.Repeat, context.Interrupt.Token);
        }
        var report = new BenchReport(judges, samples, o.Repeat, o.Background, started);
        context.Say(report.Markdown());
        var (json, md) = report.Write(output);
        context.Say($"written: {json}, {md}");
        context.Say(report.GoalsMet(watcher.Name) ? "goals met by the recipe-ci watcher" : "goals NOT met by the recipe-ci watcher");
    }
}
