using System.Collections.Concurrent;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RecipeCi.Verdicts;

namespace RecipeCi.Swarm;

// Typed views of `docker service inspect` / `docker inspect <task>` JSON. Only the fields the
// harness judges by are typed; the raw JSON is kept beside them as evidence.

/// <summary>A task's state, as swarm reports it in <c>Status.State</c> and <c>DesiredState</c> (docker's words, snake_case).</summary>
public enum TaskState
{
    /// <summary>A state this harness does not know (one docker added later); its word is kept.</summary>
    Unknown,
    New, Allocated, Pending, Assigned, Accepted, Preparing, Ready, Starting, Running,
    Complete, Shutdown, Failed, Rejected, Remove, Orphaned,
}

/// <summary>The state of a service's update, as swarm reports it in <c>UpdateStatus.State</c>.</summary>
public enum UpdateState
{
    /// <summary>A state this harness does not know (one docker added later); its word is kept.</summary>
    Unknown,
    Updating, Paused, Completed, RollbackStarted, RollbackPaused, RollbackCompleted,
}

public static class UpdateStates
{
    /// <summary>Swarm is rolling the update back, paused in it, or done with it.</summary>
    public static bool IsRollback(this UpdateState state) =>
        state is UpdateState.RollbackStarted or UpdateState.RollbackPaused or UpdateState.RollbackCompleted;
}

/// <summary>
/// A state docker reports, parsed once where docker's JSON is read: <see cref="Kind"/> for the
/// rules, and docker's own word (<see cref="Text"/>) for the evidence, so that a state docker adds
/// later is <c>Unknown</c> to the rules and still shown as docker wrote it. In JSON it is that word.
/// </summary>
[JsonConverter(typeof(SwarmStateConverter))]
public readonly record struct SwarmState<T> where T : struct, Enum
{
    private readonly string? _text;

    public SwarmState(T kind, string text) => (Kind, _text) = (kind, text);

    public T Kind { get; }
    public string Text => _text ?? "";

    public static SwarmState<T> Parse(string text) => new(EnumWords.Parse<T>(text) ?? default, text);

    public static implicit operator SwarmState<T>(T kind) => new(kind, kind.Word());

    public override string ToString() => Text;
}

/// <summary>Reads and writes a <see cref="SwarmState{T}"/> as docker's word.</summary>
internal sealed class SwarmStateConverter : JsonConverter
{
    private static readonly ConcurrentDictionary<Type, MethodInfo> Parsers = new();

    public override bool CanConvert(Type objectType) =>
        (Nullable.GetUnderlyingType(objectType) ?? objectType) is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(SwarmState<>);

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null) return null;
        var type = Nullable.GetUnderlyingType(objectType) ?? objectType;
        var parse = Parsers.GetOrAdd(type, t => t.GetMethod(nameof(SwarmState<TaskState>.Parse), BindingFlags.Public | BindingFlags.Static)!);
        return parse.Invoke(null, [Convert.ToString(reader.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""]);
    }

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) => writer.WriteValue(value?.ToString());
}

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
    public SwarmState<UpdateState>? State { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Message { get; set; }
}

public sealed class TaskInfo
{
    public string ID { get; set; } = "";
    public string ServiceID { get; set; } = "";
    public long? Slot { get; set; }
    public SwarmState<TaskState> DesiredState { get; set; } = new(TaskState.Unknown, "");
    public DateTimeOffset CreatedAt { get; set; }
    public TaskStatus Status { get; set; } = new();
    public List<NetworkAttachment> NetworksAttachments { get; set; } = [];
    // Looks recorded before the routing probe read attachments have none: written back, they stay as they were.
    public bool ShouldSerializeNetworksAttachments() => NetworksAttachments.Count > 0;
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
    public SwarmState<TaskState> State { get; set; } = new(TaskState.Unknown, "");
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
    [JsonProperty(DefaultValueHandling = DefaultValueHandling.Ignore)]
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
