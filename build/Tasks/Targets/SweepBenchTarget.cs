using RecipeCi.Bench;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Recipes;
using RecipeCi.Sweeps;

namespace RecipeCi.Tasks.Targets;

[TaskName("SweepBench")]
[TaskDescription("Benchmark: sweep --bench-size copies of an enrolled recipe at --parallel 1, 2 and 4, then two copies whose memory needs fit only one at a time at --parallel 2 (or, with --bench-case=catalogue, twelve recipes of a catalogue's kinds at each, against the ideal); print wall times, the harness's own overhead, Teardown seconds and admission waits per recipe (artifacts/bench/)")]
[ReadsOptions("bench-size bench-case recipes catalog run-id artifacts lock-dir abra server domain-suffix")]
public sealed class SweepBenchTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var bench = new SweepBenchmark(context.Options.ForSweep(), context.Options.BenchCase, context.Clock, context.Say);
        await bench.RunAsync(context.Interrupt.Token);
        context.Say($"figures: {bench.Directory}/bench.md and bench.json");
    }
}
