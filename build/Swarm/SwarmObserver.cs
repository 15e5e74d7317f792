namespace RecipeCi.Swarm;

/// <summary>
/// All the docker I/O of one convergence look: the requested services, every task they have (any
/// spec), which of those swarm counts as on the current spec, and the state of their containers.
/// Decides nothing; <see cref="ConvergenceJudge"/> does.
/// </summary>
public sealed class SwarmObserver(DockerCli docker, TimeProvider time) : IStackObserver
{
    public async Task<SwarmObservation> ObserveAsync(ConvergenceRequest request, CancellationToken ct)
    {
        var requested = request.Services.ToDictionary(request.FullName);
        var services = await docker.ServicesAsync(requested.Keys, ct);
        var names = services.Select(s => s.Name).ToList();
        // Swarm alone knows which tasks are on the current spec (it compares each task's spec with
        // the service's): its `_up-to-date` answer is recorded as a fact. Asked first, so a task
        // created in between is missing from this set for one look rather than wrongly in it.
        var current = (await docker.TasksAsync(names, upToDate: true, ct)).Select(t => t.ID).ToList();
        var tasks = await docker.TasksAsync(names, upToDate: false, ct);
        var containers = new Dictionary<string, ContainerState>();
        foreach (var id in tasks.Select(t => t.Status.ContainerStatus?.ContainerID).OfType<string>().Where(id => id.Length > 0).Distinct())
            if (await docker.ContainerStateAsync(id, ct) is { } state)
                containers[id] = Essentials(state);

        ObservedService Observe(ServiceInfo s) => ObservedService.Of(s, request.Labels.GetValueOrDefault(requested[s.Name])?.Keys ?? []);
        return new SwarmObservation(time.GetUtcNow(), services.Select(Observe).ToList(), tasks, current, containers)
        {
            Before = request.Before.Services.Values.Where(s => requested.ContainsKey(s.Name)).ToDictionary(s => s.Name, Observe),
        };
    }

    /// <summary>What the rules read of a container: its health log only as far as the last failing probe.</summary>
    private static ContainerState Essentials(ContainerState c) => new()
    {
        Status = c.Status, ExitCode = c.ExitCode, OOMKilled = c.OOMKilled, Error = c.Error,
        Health = c.Health is { } h
            ? new ContainerHealth { Status = h.Status, FailingStreak = h.FailingStreak, Log = h.Log.Where(l => l.ExitCode != 0).TakeLast(1).ToList() }
            : null,
    };
}
