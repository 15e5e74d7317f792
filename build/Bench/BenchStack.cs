using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Bench;

/// <summary>The app's settings a deploy of <see cref="BenchScenario.Compose"/> interpolates.</summary>
public sealed record BenchAppSpec(string Version, bool Healthy, string Stamp)
{
    public Dictionary<string, string?> Environment => new()
    {
        ["APP_V"] = Version, ["APP_CHECK"] = Healthy ? "true" : "false", ["APP_STAMP"] = Stamp,
    };
}

/// <summary>One scenario's stack for one judge, named <c>bench-…</c>, removed when disposed.</summary>
public sealed class BenchStack(DockerCli docker, string name, string composeFile, TimeProvider time) : IAsyncDisposable
{
    public string Name { get; } = name;
    public DockerCli Docker => docker;

    public string Service(string service) => new StackName(Name).Of(service);

    /// <summary>Deploys the stack with the app's settings.</summary>
    public Task<CommandResult> DeployAsync(BenchAppSpec app, bool detach, CancellationToken ct, bool check = true) =>
        docker.StackDeployAsync(Name, [composeFile], ct, detach, app.Environment, check: check);

    /// <summary>Changes one service's version alone (<c>docker service update</c>).</summary>
    public Task<CommandResult> UpdateAsync(string service, string version, bool detach, CancellationToken ct, bool check = true) =>
        docker.ServiceSetEnvAsync(Service(service), "V", version, detach, ct, check);

    /// <summary>Waits until no update of the service is in flight and its task on the current spec runs.</summary>
    public async Task SettleAsync(string service, CancellationToken ct)
    {
        var deadline = time.GetUtcNow().AddMinutes(2);
        while (time.GetUtcNow() < deadline)
        {
            var svc = await docker.ServiceAsync(Service(service), ct);
            var tasks = await docker.TasksAsync(Service(service), upToDate: true, ct);
            if (svc?.UpdateStatus?.State?.Kind is null or UpdateState.Completed or UpdateState.RollbackCompleted
                && tasks.Any(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running })
                && tasks.All(t => t.DesiredState.Kind != TaskState.Running || t.Status.State.Kind == TaskState.Running))
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
        }
        throw new TimeoutException($"{Service(service)} did not settle within 2 minutes");
    }

    /// <summary>When the first task on the service's current spec started running: before it, "converged" is a guess.</summary>
    public async Task<DateTimeOffset?> NewSpecRunningSinceAsync(string service, CancellationToken ct) =>
        (await docker.TasksAsync(Service(service), upToDate: true, ct))
            .Where(t => t.Status.State.Kind == TaskState.Running).Select(t => (DateTimeOffset?)t.Status.Timestamp).Min();

    public async ValueTask DisposeAsync() =>
        await docker.StackRemoveAsync(Name, CancellationToken.None, check: false);
}
