using RecipeCi.Swarm;

namespace RecipeCi.Abra;

/// <summary>What a removal left (<paramref name="Leaked"/>), what docker had to remove after abra, and what failed on the way.</summary>
public sealed record RemovalOutcome(List<string> Leaked, List<string> Swept, List<string> Problems);

/// <summary>
/// Removes every resource of an app's stack: through abra while the app's env file is still there,
/// then with docker for whatever abra left, then verifies that nothing remains. Teardown and the
/// janitor both remove apps this way.
/// </summary>
public static class AppRemoval
{
    /// <param name="abra">The app's abra, or null when its env file is gone and only docker can help.</param>
    public static async Task<RemovalOutcome> RemoveAsync(IAbra? abra, DockerCli docker, string domain, StackName stack, Action<string> log, CancellationToken ct)
    {
        var problems = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try { await step(); }
            catch (Exception ex) when (ex is not OperationCanceledException) { problems.Add($"{what}: {ex.Message}"); log($"{what} failed: {ex.Message}"); }
        }

        if (abra is not null) await Try("undeploy", () => abra.UndeployAsync(domain, ct));
        await StackResources.WaitGoneAsync(docker, stack, ["service", "container"], TimeSpan.FromMinutes(2), log, ct);
        if (abra is not null)
        {
            await Try("volume rm", () => abra.VolumeRemoveAsync(domain, ct));
            await Try("secret rm", () => abra.SecretRemoveAllAsync(domain, ct));
            await Try("app rm", () => abra.AppRemoveAsync(domain, ct));
        }
        var swept = await StackResources.SweepAsync(docker, stack, log, ct);
        await StackResources.WaitGoneAsync(docker, stack, StackResources.Kinds, TimeSpan.FromMinutes(1), log, ct);
        // A volume still held by a container that was exiting during the sweep can only go once
        // that container is gone: wait for the containers, then sweep once more.
        if ((await StackResources.RemainingAsync(docker, stack, ct)).Count > 0)
        {
            await StackResources.WaitGoneAsync(docker, stack, ["container"], TimeSpan.FromMinutes(1), log, ct);
            swept.AddRange(await StackResources.SweepAsync(docker, stack, log, ct));
            await StackResources.WaitGoneAsync(docker, stack, StackResources.Kinds, TimeSpan.FromSeconds(30), log, ct);
        }
        return new RemovalOutcome(await StackResources.RemainingAsync(docker, stack, ct), swept, problems);
    }
}
