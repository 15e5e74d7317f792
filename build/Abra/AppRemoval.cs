using RecipeCi.Naming;
using RecipeCi.Swarm;

namespace RecipeCi.Abra;

/// <summary>
/// What a removal left (<paramref name="Leaked"/>), the services and containers docker removed
/// without waiting for graceful stops (<paramref name="Killed"/>), what docker had to remove after
/// abra, and what failed on the way.
/// </summary>
public sealed record RemovalOutcome(List<string> Leaked, List<string> Killed, List<string> Swept, List<string> Problems);

/// <summary>
/// Removes every resource of an app's stack: its services, then its containers killed and removed
/// at once (their data goes next, so graceful stops would only cost their stop_grace_period), then
/// volumes, secrets and the app through abra while the app's env file is still there, then with
/// docker networks, configs and whatever abra left, and verifies that nothing remains. Teardown and
/// the janitor both remove apps this way. Not abra's undeploy: it removes the networks together
/// with the services, and a network removed while its containers still run lingers for seconds
/// in docker's lists (measured: 3.3 s, against 0.5 s once they are gone).
/// </summary>
public static class AppRemoval
{
    /// <param name="abra">The app's abra, or null when its env file is gone and only docker can help.</param>
    public static async Task<RemovalOutcome> RemoveAsync(IAbra? abra, DockerCli docker, string domain, StackName stack, TimeProvider time, Action<string> log, CancellationToken ct)
    {
        var problems = new List<string>();
        async Task Try(string what, Func<Task> step)
        {
            try { await step(); }
            catch (Exception ex) when (ex is not OperationCanceledException) { problems.Add($"{what}: {ex.Message}"); log($"{what} failed: {ex.Message}"); }
        }

        var killed = await StackResources.KillAsync(docker, stack, time, log, ct);
        if (abra is not null)
        {
            await Try("volume rm", () => abra.VolumeRemoveAsync(domain, ct));
            await Try("secret rm", () => abra.SecretRemoveAllAsync(domain, ct));
            await Try("app rm", () => abra.AppRemoveAsync(domain, ct));
        }
        var swept = await StackResources.SweepAsync(docker, stack, time, log, ct);
        await StackResources.WaitGoneAsync(docker, stack, StackResources.Kinds, TimeSpan.FromMinutes(1), time, log, ct);
        // A network or volume docker refused while a container swarm was still starting held it
        // goes on a second pass, once that container is killed too.
        if ((await StackResources.RemainingAsync(docker, stack, ct)).Count > 0)
        {
            swept.AddRange(await StackResources.SweepAsync(docker, stack, time, log, ct));
            await StackResources.WaitGoneAsync(docker, stack, StackResources.Kinds, TimeSpan.FromSeconds(30), time, log, ct);
        }
        return new RemovalOutcome(await StackResources.RemainingAsync(docker, stack, ct), killed, swept, problems);
    }
}
