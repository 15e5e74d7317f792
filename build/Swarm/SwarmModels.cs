using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RecipeCi.Swarm;

// Typed views of `docker service inspect` / `docker inspect <task>` JSON. Only the fields the
// harness judges by are typed; the raw JSON is kept beside them as evidence.

public sealed class ServiceInfo
{
    public string ID { get; set; } = "";
    public VersionInfo Version { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public ServiceSpec Spec { get; set; } = new();
    public ServiceSpec? PreviousSpec { get; set; }
    public UpdateStatus? UpdateStatus { get; set; }
    [JsonIgnore] public JObject Raw { get; set; } = new();

    public string Name => Spec.Name;
}

public sealed class VersionInfo
{
    public long Index { get; set; }
}

public sealed class ServiceSpec
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public TaskTemplate TaskTemplate { get; set; } = new();
    public ServiceMode Mode { get; set; } = new();
    public UpdateConfig? UpdateConfig { get; set; }
}

public sealed class TaskTemplate
{
    public ContainerSpec ContainerSpec { get; set; } = new();
    public RestartPolicy? RestartPolicy { get; set; }
    public long ForceUpdate { get; set; }
}

public sealed class ContainerSpec
{
    public string Image { get; set; } = "";
    public Dictionary<string, string>? Labels { get; set; }
    public JObject? Healthcheck { get; set; }
}

public sealed class RestartPolicy
{
    public string? Condition { get; set; }
}

public sealed class ServiceMode
{
    public ReplicatedMode? Replicated { get; set; }
    public JObject? Global { get; set; }
    public JObject? ReplicatedJob { get; set; }
    public JObject? GlobalJob { get; set; }
}

public sealed class ReplicatedMode
{
    public long? Replicas { get; set; }
}

public sealed class UpdateConfig
{
    public long? Monitor { get; set; }
    public string? FailureAction { get; set; }
    public string? Order { get; set; }
}

public sealed class UpdateStatus
{
    public string? State { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Message { get; set; }
}

public sealed class TaskInfo
{
    public string ID { get; set; } = "";
    public string ServiceID { get; set; } = "";
    public long? Slot { get; set; }
    public string DesiredState { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public TaskStatus Status { get; set; } = new();
    public List<NetworkAttachment> NetworksAttachments { get; set; } = [];
    [JsonIgnore] public JObject Raw { get; set; } = new();
}

/// <summary>A task's address on one network (CIDR, as swarm gives it).</summary>
public sealed class NetworkAttachment
{
    public NetworkAttachmentNetwork Network { get; set; } = new();
    public List<string> Addresses { get; set; } = [];
}

public sealed class NetworkAttachmentNetwork
{
    public NetworkSpec Spec { get; set; } = new();
}

public sealed class NetworkSpec
{
    public string Name { get; set; } = "";
}

public sealed class TaskStatus
{
    public DateTimeOffset Timestamp { get; set; }
    public string State { get; set; } = "";
    public string? Message { get; set; }
    public string? Err { get; set; }
    public TaskContainerStatus? ContainerStatus { get; set; }
}

public sealed class TaskContainerStatus
{
    public string? ContainerID { get; set; }
    public int? ExitCode { get; set; }
}

public sealed class ContainerState
{
    public string? Status { get; set; }
    /// <summary>The container's main process on the engine's host (0 when it is not running).</summary>
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public bool OOMKilled { get; set; }
    public string? Error { get; set; }
    public ContainerHealth? Health { get; set; }
}

public sealed class ContainerHealth
{
    public string? Status { get; set; }
    public int FailingStreak { get; set; }
    public List<HealthProbeResult> Log { get; set; } = [];
}

public sealed class HealthProbeResult
{
    public int ExitCode { get; set; }
    public string? Output { get; set; }
}

/// <summary>One line of <c>docker events --format '{{json .}}'</c>.</summary>
public sealed class DockerEvent
{
    public string Type { get; set; } = "";
    public string Action { get; set; } = "";
    public EventActor Actor { get; set; } = new();
    /// <summary>For swarm objects, the object's own <c>UpdatedAt</c>: swarm's timestamp of the change.</summary>
    public long TimeNano { get; set; }

    [JsonIgnore] public DateTimeOffset SwarmTime => DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100);
    public string? Attribute(string key) => Actor.Attributes.GetValueOrDefault(key);
}

public sealed class EventActor
{
    public string ID { get; set; } = "";
    public Dictionary<string, string> Attributes { get; set; } = [];
}
