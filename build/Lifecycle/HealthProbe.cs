using RecipeCi.Checks;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The app answered its health path, and its readiness probes passed.</summary>
public sealed record HealthAnswer(string Url, int Status, int Attempts, double AfterS);

/// <summary>
/// AwaitBaseHealthy / AwaitHeadHealthy: the app really answers. Asks the health path from inside
/// a running container of the current spec with <c>docker exec</c> of the harness's own busybox
/// wget (copied in, so the image need have no shell or HTTP client), so no address but the
/// container's own loopback is ever used. Then the app must answer by its domain over traefik's
/// route as its labels draw it (<see cref="VisitorRoute"/>).
/// </summary>
public sealed class HealthProbe(RecipeEntry entry, DockerCli docker, CheckRunner checks, VisitorRoute route, TimeProvider clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task<HealthAnswer> AwaitAsync(RunPlan plan, StageRecorder stage, DeployPhase phase, CancellationToken ct)
    {
        var health = entry.Health;
        var service = plan.Stack.Of(health.Service);
        var url = $"http://127.0.0.1:{health.Port}{health.Path}";
        var budget = TimeSpan.FromSeconds(entry.Timeouts.Health);
        var started = clock.GetUtcNow();
        var last = "no running container yet";
        var attempts = 0;
        var answer = await Poll.UntilAsync(new PollPlan(Interval, budget), clock, async () =>
        {
            attempts++;
            if (await docker.RunningContainerAsync(service, ct) is not { } container) return null;
            var (code, text) = await checks.AskHttpAsync(container, health.Port, health.Path, ct);
            if (code is { } c && health.Statuses.Contains(c)) return new HealthAnswer(url, c, attempts, 0);
            last = code is null ? $"no HTTP answer: {FirstLine(text)}" : $"HTTP {code}";
            return null;
        }, waited => stage.Log($"waiting for {health.Service} to answer {url}: {last}"), ct);

        if (answer is null)
        {
            stage.Write("health.txt", $"url={url}\nlast={last}\nattempts={attempts}\naccepted={string.Join(",", health.Statuses)}\n");
            stage.Evidence.Add("health.txt");
            throw new StageFailure(FailureOf(phase),
                $"{health.Service} did not answer {health.Path} with {string.Join("/", health.Statuses)} within {budget.TotalSeconds:0}s (last: {last})");
        }
        answer = answer with { AfterS = Math.Round((clock.GetUtcNow() - started).TotalSeconds, 1) };
        stage.Log($"{health.Service} answered {url} with {answer.Status} (attempt {attempts}, {answer.AfterS:0.0}s)");
        stage.Write("health.txt", $"url={url}\nstatus={answer.Status}\nattempts={attempts}\n");
        await ReadinessAsync(plan, stage, phase, started + budget, ct);
        await route.ProbeAsync(plan, stage, FailureOf(phase), ct);
        return answer;
    }

    private static StageStatus FailureOf(DeployPhase phase) => phase == DeployPhase.Base ? StageStatus.BaselineBroken : StageStatus.Failed;

    /// <summary>The recipe's readiness probes: each must pass before the budget ends (retried once a second).</summary>
    private async Task ReadinessAsync(RunPlan plan, StageRecorder stage, DeployPhase phase, DateTimeOffset until, CancellationToken ct)
    {
        var target = new CheckTarget(entry.Name, plan.Domain, plan.Stack, [], Path.Combine(stage.Directory, "probes"));
        foreach (var probe in entry.Probes)
        {
            CheckResult? last = null;
            var passed = await Poll.UntilAsync(new PollPlan(Interval, until - clock.GetUtcNow()), clock, async () =>
                (last = await checks.RunAsync(probe, target, ct)).Passed, null, ct);
            if (!passed)
                throw new StageFailure(FailureOf(phase), $"readiness probe '{probe.Name}' did not pass: {last?.Detail}");
            stage.Log($"probe '{probe.Name}': {last?.Detail}");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}
