using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// AwaitBaseHealthy / AwaitHeadHealthy: the app really answers. Asks the health path from inside
/// a running container of the current spec with <c>docker exec</c> (wget, else curl), so no
/// address but the container's own loopback is ever used.
/// </summary>
public static class HealthProbe
{
    public static async Task AwaitAsync(RecipeRun run, StageRecorder stage, DeployPhase phase)
    {
        var ct = run.Cancellation;
        var health = run.Entry.Health;
        var service = $"{run.Stack}_{health.Service}";
        var url = $"http://127.0.0.1:{health.Port}{health.Path}";
        var budget = TimeSpan.FromSeconds(run.Entry.Timeouts.Health);
        var started = DateTimeOffset.UtcNow;
        var lastSaid = started;
        string last = "no running container yet";
        var attempts = 0;
        while (DateTimeOffset.UtcNow - started < budget)
        {
            attempts++;
            var container = await run.Docker.RunningContainerAsync(service, ct);
            if (container is not null)
            {
                var (code, answer) = await new Checks.CheckRunner(run.Docker, run.Runner).AskHttpAsync(container, health.Port, health.Path, ct);
                if (code is { } c && health.Statuses.Contains(c))
                {
                    stage.Log($"{health.Service} answered {url} with {c} (attempt {attempts}, {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s)");
                    stage.Write("health.txt", $"url={url}\nstatus={c}\ncontainer={container}\nattempts={attempts}\n");
                    await ReadinessAsync(run, stage, phase, started + budget, ct);
                    return;
                }
                last = code is null ? $"no HTTP answer: {FirstLine(answer)}" : $"HTTP {code}";
            }
            if (DateTimeOffset.UtcNow - lastSaid > TimeSpan.FromSeconds(15))
            {
                lastSaid = DateTimeOffset.UtcNow;
                stage.Log($"waiting for {health.Service} to answer {url}: {last}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        stage.Write("health.txt", $"url={url}\nlast={last}\nattempts={attempts}\naccepted={string.Join(",", health.Statuses)}\n");
        stage.Evidence.Add("health.txt");
        throw new StageFailure(phase == DeployPhase.Base ? StageStatus.BaselineBroken : StageStatus.Failed,
            $"{health.Service} did not answer {health.Path} with {string.Join("/", health.Statuses)} within {budget.TotalSeconds:0}s (last: {last})");
    }

    /// <summary>The recipe's readiness probes: each must pass before the budget ends (retried once a second).</summary>
    private static async Task ReadinessAsync(RecipeRun run, StageRecorder stage, DeployPhase phase, DateTimeOffset until, CancellationToken ct)
    {
        var checks = new Checks.CheckRunner(run.Docker, run.Runner);
        var target = new Checks.CheckTarget(run.Entry.Name, run.Domain, run.Stack, [], Path.Combine(stage.Directory, "probes"));
        foreach (var probe in run.Entry.Probes)
        {
            while (true)
            {
                var result = await checks.RunAsync(probe, target, ct);
                if (result.Passed) { stage.Log($"probe '{probe.Name}': {result.Detail}"); break; }
                if (DateTimeOffset.UtcNow >= until)
                    throw new StageFailure(phase == DeployPhase.Base ? StageStatus.BaselineBroken : StageStatus.Failed,
                        $"readiness probe '{probe.Name}' did not pass: {result.Detail}");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}
