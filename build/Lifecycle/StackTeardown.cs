using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>What a teardown left (<paramref name="Leaked"/>), what docker had to remove after abra, and what failed on the way.</summary>
public sealed record TeardownOutcome(List<string> Leaked, List<string> Swept, List<string> Problems);

/// <summary>
/// Teardown: undeploy, remove volumes, secrets and the app env through abra, sweep anything abra
/// left with docker, then verify that no service, container, network, volume, secret or config of
/// the stack remains. What remains is recorded as a leak.
/// </summary>
public static class StackTeardown
{
    private static readonly string[] Kinds = ["service", "container", "network", "volume", "secret", "config"];
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(RecipeRun run, StageRecorder stage, CancellationToken ct)
    {
        // Deploys happen only under the app domain's lock: a run stopped before it held the lock
        // (while fetching or waiting) deployed nothing, and a stack of its name is another run's.
        if (run.Lock is null)
        {
            run.Result.Teardown = new TeardownResult { Clean = true };
            stage.Skip(run.Stack.Length == 0
                ? "nothing to tear down: the run never named an app"
                : $"nothing to tear down: the run never held the lock of {run.Domain}, so {run.Stack} is another run's");
            return;
        }
        var abra = File.Exists(run.AbraDir.EnvPath(run.Options.Server, run.Domain)) ? run.Abra : null;
        var outcome = await RemoveAsync(abra, run.Docker, run.Domain, run.Stack, stage.Log, ct);
        run.Result.Teardown = new TeardownResult { Clean = outcome.Leaked.Count == 0, Leaked = outcome.Leaked };
        stage.WriteJson("teardown.json", new { leaked = outcome.Leaked, swept_by_docker = outcome.Swept, problems = outcome.Problems });
        if (outcome.Leaked.Count > 0)
        {
            stage.Evidence.Add("teardown.json");
            throw new StageFailure(StageStatus.Error, $"teardown leaked: {string.Join(", ", outcome.Leaked)}");
        }
        stage.Log(outcome.Swept.Count == 0
            ? $"teardown verified: nothing of {run.Stack} remains"
            : $"teardown verified after docker removed what abra left: {string.Join(", ", outcome.Swept)}");
    }

    /// <summary>
    /// Removes every resource of a stack: through abra when the app's env file is still there
    /// (<paramref name="abra"/> not null), then with docker for whatever abra left; then verifies.
    /// </summary>
    public static async Task<TeardownOutcome> RemoveAsync(IAbra? abra, DockerCli docker, string domain, string stack, Action<string> log, CancellationToken ct)
    {
        var problems = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try { await step(); }
            catch (Exception ex) when (ex is not OperationCanceledException) { problems.Add($"{what}: {ex.Message}"); log($"{what} failed: {ex.Message}"); }
        }

        if (abra is not null) await Try("undeploy", () => abra.UndeployAsync(domain, ct));
        await WaitGoneAsync(docker, stack, ["service", "container"], TimeSpan.FromMinutes(2), log, ct);
        if (abra is not null)
        {
            await Try("volume rm", () => abra.VolumeRemoveAsync(domain, ct));
            await Try("secret rm", () => abra.SecretRemoveAllAsync(domain, ct));
            await Try("app rm", () => abra.AppRemoveAsync(domain, ct));
        }
        var swept = await SweepAsync(docker, stack, log, ct);
        await WaitGoneAsync(docker, stack, Kinds, TimeSpan.FromMinutes(1), log, ct);
        // A volume still held by a container that was exiting during the sweep can only go once
        // that container is gone: wait for the containers, then sweep once more.
        if ((await RemainingAsync(docker, stack, ct)).Count > 0)
        {
            await WaitGoneAsync(docker, stack, ["container"], TimeSpan.FromMinutes(1), log, ct);
            swept.AddRange(await SweepAsync(docker, stack, log, ct));
            await WaitGoneAsync(docker, stack, Kinds, TimeSpan.FromSeconds(30), log, ct);
        }
        return new TeardownOutcome(await RemainingAsync(docker, stack, ct), swept, problems);
    }

    /// <summary>Every resource of the stack, by its stack label or its name prefix.</summary>
    public static async Task<List<string>> RemainingAsync(DockerCli docker, string stack, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var kind in Kinds)
        {
            var byLabel = await docker.ResourceIdsAsync(kind, stack, ct);
            var byName = kind == "container" ? [] : await docker.NamesWithPrefixAsync(kind, stack + "_", ct);
            found.AddRange(byLabel.Concat(byName).Distinct().Select(x => $"{kind}:{x}"));
        }
        return found.Distinct().ToList();
    }

    private static async Task<List<string>> SweepAsync(DockerCli docker, string stack, Action<string> log, CancellationToken ct)
    {
        var swept = new List<string>();
        foreach (var kind in new[] { "service", "volume", "secret", "config", "network" })
        {
            var items = (await docker.ResourceIdsAsync(kind, stack, ct))
                .Concat(await docker.NamesWithPrefixAsync(kind, stack + "_", ct)).Distinct().ToList();
            foreach (var item in items)
            {
                var r = await docker.RunAsync([kind, "rm", .. kind == "volume" ? new[] { "--force" } : [], item], ct, check: false);
                if (r.Succeeded) swept.Add($"{kind}:{item}");
                else log($"could not remove {kind} {item}: {r.Output}");
            }
            if (kind == "service" && items.Count > 0) await WaitGoneAsync(docker, stack, ["container"], TimeSpan.FromMinutes(1), log, ct);
        }
        return swept;
    }

    private static async Task WaitGoneAsync(DockerCli docker, string stack, string[] kinds, TimeSpan budget, Action<string> log, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + budget;
        while (DateTimeOffset.UtcNow < until)
        {
            var left = 0;
            foreach (var k in kinds) left += (await docker.ResourceIdsAsync(k, stack, ct)).Count;
            if (left == 0) return;
            await Task.Delay(500, ct);
        }
        log($"still present after {budget.TotalSeconds:0}s: {string.Join("/", kinds)} of {stack}");
    }
}
