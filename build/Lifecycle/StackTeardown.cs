using RecipeCi.Evidence;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

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
        if (run.Stack.Length == 0)
        {
            run.Result.Teardown = new TeardownResult { Clean = true };
            stage.Skip("nothing to tear down: the run never named an app");
            return;
        }
        var problems = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try { await step(); }
            catch (Exception ex) when (ex is not OperationCanceledException) { problems.Add($"{what}: {ex.Message}"); stage.Log($"{what} failed: {ex.Message}"); }
        }

        var envExists = File.Exists(run.AbraDir.EnvPath(run.Options.Server, run.Domain));
        if (envExists) await Try("undeploy", () => run.Abra.UndeployAsync(run.Domain, ct));
        await WaitGoneAsync(run.Docker, run.Stack, ["service", "container"], TimeSpan.FromMinutes(2), stage, ct);
        if (envExists)
        {
            await Try("volume rm", () => run.Abra.VolumeRemoveAsync(run.Domain, ct));
            await Try("secret rm", () => run.Abra.SecretRemoveAllAsync(run.Domain, ct));
            await Try("app rm", () => run.Abra.AppRemoveAsync(run.Domain, ct));
        }
        var swept = await SweepAsync(run.Docker, run.Stack, stage, ct);
        await WaitGoneAsync(run.Docker, run.Stack, Kinds, TimeSpan.FromMinutes(1), stage, ct);

        var leaked = await RemainingAsync(run.Docker, run.Stack, ct);
        run.Result.Teardown = new TeardownResult { Clean = leaked.Count == 0, Leaked = leaked };
        stage.WriteJson("teardown.json", new { leaked, swept_by_docker = swept, problems });
        if (leaked.Count > 0)
        {
            stage.Evidence.Add("teardown.json");
            throw new StageFailure(StageStatus.Error, $"teardown leaked: {string.Join(", ", leaked)}");
        }
        stage.Log(swept.Count == 0 ? $"teardown verified: nothing of {run.Stack} remains" : $"teardown verified after docker removed what abra left: {string.Join(", ", swept)}");
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

    private static async Task<List<string>> SweepAsync(DockerCli docker, string stack, StageRecorder stage, CancellationToken ct)
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
                else stage.Log($"could not remove {kind} {item}: {r.Output}");
            }
            if (kind == "service" && items.Count > 0) await WaitGoneAsync(docker, stack, ["container"], TimeSpan.FromMinutes(1), stage, ct);
        }
        return swept;
    }

    private static async Task WaitGoneAsync(DockerCli docker, string stack, string[] kinds, TimeSpan budget, StageRecorder stage, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + budget;
        while (DateTimeOffset.UtcNow < until)
        {
            var left = 0;
            foreach (var k in kinds) left += (await docker.ResourceIdsAsync(k, stack, ct)).Count;
            if (left == 0) return;
            await Task.Delay(500, ct);
        }
        stage.Log($"still present after {budget.TotalSeconds:0}s: {string.Join("/", kinds)} of {stack}");
    }
}
