using RecipeCi.Abra;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Teardown: remove the stack's services, kill and remove their containers without waiting for graceful stops,
/// remove volumes, secrets and the app env through abra, sweep anything abra left with docker, then verify that no service, container, network, volume, secret or config of
/// the stack remains. What remains is recorded as a leak.
/// </summary>
public sealed class Teardown(RunFolders folders, IAbra abra, DockerCli docker, VisitorRoute route, TimeProvider clock)
{
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    public async Task<TeardownResult> RunAsync(RunPlan? plan, AppName? named, StageRecorder stage, CancellationToken ct)
    {
        // Deploys happen only under the app domain's lock, which a finished FetchRecipe holds: a run
        // stopped before that (while fetching or waiting) deployed nothing, and a stack of its name
        // is another run's.
        if (plan is null)
        {
            stage.Skip(named is null
                ? "nothing to tear down: the run never named an app"
                : $"nothing to tear down: the run never held the lock of {named.Domain}, so {named.Stack} is another run's");
            return new TeardownResult { Clean = true };
        }
        if (plan.Lock is null)
        {
            stage.Skip($"nothing to tear down: the run deploys nothing, so {plan.Stack} is not its to touch");
            return new TeardownResult { Clean = true };
        }
        // The helper on the proxy network goes first: it is the run's, and nothing of the stack may remain.
        await route.DisposeAsync();
        // Without the app's env file abra knows no app to remove: docker removes what there is.
        var app = File.Exists(folders.EnvPath(plan.Domain)) ? abra : null;
        var outcome = await new AppRemoval(docker, clock, stage.Log).RemoveAsync(app, plan.Domain, plan.Stack, ct);
        var result = new TeardownResult { Clean = outcome.Leaked.Count == 0, Leaked = outcome.Leaked };
        stage.WriteJson("teardown.json", new { leaked = outcome.Leaked, killed = outcome.Killed, swept_by_docker = outcome.Swept, problems = outcome.Problems });
        if (outcome.Leaked.Count > 0)
        {
            // The stage ends in error with its result: the lock file stays for the janitor, and results.json says the teardown leaked.
            stage.Evidence.Add("teardown.json");
            stage.End(StageStatus.Error, $"teardown leaked: {string.Join(", ", outcome.Leaked)}");
            return result;
        }
        stage.Log(outcome.Swept.Count == 0
            ? $"teardown verified: nothing of {plan.Stack} remains"
            : $"teardown verified after docker removed what abra left: {string.Join(", ", outcome.Swept)}");
        return result;
    }
}
