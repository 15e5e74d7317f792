using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Support;

/// <summary>How one test service behaves; <see cref="ScratchStack.Compose"/> turns these into a compose file.</summary>
public sealed record ScratchService(string Name)
{
    /// <summary>Changing it changes the task template, so a deploy becomes a rolling update.</summary>
    public string Version { get; init; } = "1";
    /// <summary>False: a healthcheck that always fails. True: no healthcheck (probes time out on a loaded machine).</summary>
    public bool Healthy { get; init; } = true;
    /// <summary>A healthcheck command of its own (instead of what <see cref="Healthy"/> sets).</summary>
    public string? Check { get; init; }
    public string FailureAction { get; init; } = "rollback";
    public string Monitor { get; init; } = "1s";
    public int Replicas { get; init; } = 1;
    public string Restart { get; init; } = "any";
    public string Image { get; init; } = "recipe-ci/busybox:1";
    /// <summary>Shell run by the task; the default serves forever and stops on TERM.</summary>
    public string Script { get; init; } = "trap 'exit 0' TERM; while true; do sleep 1; done";
    public string StopGrace { get; init; } = "10s";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Constraint { get; init; }
    /// <summary>Mounts the stack's scratch folder at /shared, so tasks can leave marks for their successors.</summary>
    public bool Shared { get; init; }
    /// <summary>A port published in host mode (bound on the node itself, as swarm does it for one task per node).</summary>
    public int? HostPort { get; init; }
    /// <summary>External networks the service joins (e.g. <c>proxy</c>, which Bootstrap creates).</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
}

/// <summary>
/// A uniquely named stack the test deploys with <c>docker stack deploy</c> itself and removes when
/// disposed (also when the test fails), for judging <see cref="ConvergenceWatcher"/> directly.
/// </summary>
public sealed class ScratchStack : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cvg-").FullName;
    public string Name { get; } = $"cvg-{Guid.NewGuid():N}"[..12];
    public DockerCli Docker { get; } = new(new CommandRunner());

    public string Service(string name) => $"{Name}_{name}";

    public string Compose(IEnumerable<ScratchService> services)
    {
        var yaml = new System.Text.StringBuilder("version: \"3.8\"\nservices:\n");
        foreach (var s in services)
        {
            yaml.Append($$"""
                  {{s.Name}}:
                    image: {{s.Image}}
                    command:
                      - sh
                      - -c
                      - "{{s.Script.Replace("\"", "\\\"")}}"
                    environment: [V={{s.Version}}]
                    stop_grace_period: {{s.StopGrace}}
                    healthcheck: {{(s.Check is null && s.Healthy ? "{disable: true}" : $"{{test: [\"CMD-SHELL\", \"{s.Check ?? "false"}\"], interval: 1s, timeout: 5s, retries: 1}}")}}
                    deploy:
                      replicas: {{s.Replicas}}
                      restart_policy: {condition: {{s.Restart}}, delay: 1s}
                      update_config: {failure_action: {{s.FailureAction}}, order: start-first, monitor: {{s.Monitor}}}
                      rollback_config: {order: start-first, monitor: 1s}
                      labels: {{{string.Join(", ", s.Labels.Select(kv => $"\"{kv.Key}\": \"{kv.Value}\""))}}}

                """);
            if (s.Constraint is not null) yaml.Append($"      placement: {{constraints: [\"{s.Constraint}\"]}}\n");
            if (s.Shared) yaml.Append($"    volumes: [\"{_dir}:/shared\"]\n");
            if (s.HostPort is { } port) yaml.Append($"    ports: [{{target: 8080, published: {port}, protocol: tcp, mode: host}}]\n");
            if (s.Networks.Count > 0) yaml.Append($"    networks: [{string.Join(", ", s.Networks)}]\n");
        }
        var external = services.SelectMany(s => s.Networks).Distinct().ToList();
        if (external.Count > 0) yaml.Append($"networks: {{{string.Join(", ", external.Select(n => $"{n}: {{external: true}}"))}}}\n");
        return yaml.ToString();
    }

    /// <summary>Deploys the services as the stack (detached: the watcher under test does the waiting).</summary>
    public async Task DeployAsync(params ScratchService[] services)
    {
        var file = Path.Combine(_dir, "compose.yml");
        await File.WriteAllTextAsync(file, Compose(services));
        await Docker.StackDeployAsync(Name, [file], CancellationToken.None, detach: true);
    }

    /// <summary>Changes one service only (<c>docker service update</c>): the stack's other services are not touched.</summary>
    public Task UpdateServiceAsync(string service, params string[] args) =>
        Docker.Runner.RunAsync(new Command("docker", ["service", "update", "--detach", .. args, Service(service)]));

    public Task<StackSnapshot> SnapshotAsync() => StackSnapshot.CaptureAsync(Docker, Name, TimeProvider.System, CancellationToken.None);

    /// <summary>Judges the request; with <see cref="ObservationFixture.Recording"/> on, keeps its looks as the fixture <paramref name="record"/>.</summary>
    public async Task<ConvergenceVerdict> WatchAsync(ConvergenceRequest request, string? record = null)
    {
        var looks = new List<SwarmObservation>();
        var verdict = await new ConvergenceWatcher(Docker, TimeProvider.System) { Observed = looks.Add }.WaitAsync(request, CancellationToken.None);
        if (record is not null && ObservationFixture.Recording) ObservationFixture.Of(request, looks).Save(record);
        return verdict;
    }

    public ConvergenceRequest Request(TimeSpan budget, params string[] services) => new(Name, services, budget);

    /// <summary>Polls the service until <paramref name="ready"/> holds: for setting up a state, not for judging.</summary>
    public async Task<ServiceInfo> UntilAsync(string service, Func<ServiceInfo, List<TaskInfo>, bool> ready, TimeSpan? budget = null)
    {
        var deadline = DateTimeOffset.UtcNow + (budget ?? TimeSpan.FromMinutes(4));
        while (true)
        {
            var svc = await Docker.ServiceAsync(Service(service), CancellationToken.None);
            var tasks = await Docker.TasksAsync(Service(service), upToDate: true, CancellationToken.None);
            if (svc is not null && ready(svc, tasks)) return svc;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"{Service(service)} did not reach the state the test set up (now: {svc?.UpdateStatus?.State?.Text ?? "no update"})");
            await Task.Delay(300);
        }
    }

    /// <summary>Every replica running for the service's stable window: settled, as the watcher would count it.</summary>
    public static bool Running(ServiceInfo svc, List<TaskInfo> tasks) =>
        tasks.Count(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running }
            && DateTimeOffset.UtcNow - t.Status.Timestamp >= ObservedService.Of(svc, []).StableWindow) >= (svc.Spec.Mode.Replicated?.Replicas ?? 1);

    public async ValueTask DisposeAsync()
    {
        await Docker.StackRemoveAsync(Name, CancellationToken.None, check: false);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
