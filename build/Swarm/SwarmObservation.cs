using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Swarm;

/// <summary>
/// One look at the services of a convergence request: everything <see cref="ConvergenceJudge"/>
/// reads, typed and JSON-serialisable (recorded looks are the judge's test fixtures). Holds no
/// environment values and no raw docker JSON.
/// </summary>
public sealed record SwarmObservation(
    DateTimeOffset ObservedAt,
    IReadOnlyList<ObservedService> Services,
    IReadOnlyList<TaskInfo> Tasks,
    IReadOnlyList<string> CurrentSpecTasks,
    IReadOnlyDictionary<string, ContainerState> Containers)
{
    /// <summary>The requested services as they were before the deploy (by full name), from its <see cref="StackSnapshot"/>.</summary>
    public IReadOnlyDictionary<string, ObservedService> Before { get; init; } = new Dictionary<string, ObservedService>();

    /// <summary>The task's container state, when this node has it (another node's is null, as is a removed one).</summary>
    public ContainerState? ContainerOf(TaskInfo task) =>
        task.Status.ContainerStatus?.ContainerID is { Length: > 0 } id ? Containers.GetValueOrDefault(id) : null;
}

[JsonConverter(typeof(StringEnumConverter))]
public enum ServiceModeKind { Replicated, Global, ReplicatedJob, GlobalJob }

/// <summary>The fields of a service's inspect output the convergence rules read.</summary>
public sealed record ObservedService(string ID, string Name, long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>Only the labels the deploy is expected to have set (the rest are not judged).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public ServiceModeKind Mode { get; init; }
    public long? Replicas { get; init; }
    public string? RestartCondition { get; init; }
    /// <summary><c>update_config.monitor</c>, when set.</summary>
    public TimeSpan? Monitor { get; init; }
    public UpdateStatus? UpdateStatus { get; init; }

    /// <summary>A job, or a service swarm does not restart once it exited 0: its tasks are meant to end.</summary>
    [JsonIgnore]
    public bool OneShot => Mode is ServiceModeKind.ReplicatedJob or ServiceModeKind.GlobalJob || RestartCondition is "none" or "on-failure";

    /// <summary>How long a task without a healthcheck must run to count: swarm's own "stable" window (5 s by default).</summary>
    [JsonIgnore]
    public TimeSpan StableWindow => Monitor ?? TimeSpan.FromSeconds(5);

    public static ObservedService Of(ServiceInfo s, IEnumerable<string> judgedLabels) => new(s.ID, s.Name, s.Version.Index, s.UpdatedAt)
    {
        Labels = judgedLabels.Where(s.Spec.Labels.ContainsKey).ToDictionary(k => k, k => s.Spec.Labels[k]),
        Mode = s.Spec.Mode switch
        {
            { ReplicatedJob: not null } => ServiceModeKind.ReplicatedJob,
            { GlobalJob: not null } => ServiceModeKind.GlobalJob,
            { Global: not null } => ServiceModeKind.Global,
            _ => ServiceModeKind.Replicated,
        },
        Replicas = s.Spec.Mode.Replicated?.Replicas,
        RestartCondition = s.Spec.TaskTemplate.RestartPolicy?.Condition,
        Monitor = s.Spec.UpdateConfig?.Monitor is > 0 and var ns ? TimeSpan.FromTicks(ns / 100) : null,
        UpdateStatus = s.UpdateStatus,
    };
}
