using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Forge;

/// <summary>A Drone build's status; the first four are not done yet.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DroneStatus
{
    [EnumMember(Value = "pending")] Pending,
    [EnumMember(Value = "running")] Running,
    [EnumMember(Value = "blocked")] Blocked,
    [EnumMember(Value = "waiting_on_dependencies")] WaitingOnDependencies,
    [EnumMember(Value = "success")] Success,
    [EnumMember(Value = "failure")] Failure,
    [EnumMember(Value = "error")] Error,
    [EnumMember(Value = "killed")] Killed,
    [EnumMember(Value = "skipped")] Skipped,
    [EnumMember(Value = "declined")] Declined,
}

/// <summary>
/// A Drone build as its API answers. <c>link</c> is the commit's page on the forge, not the
/// build's: the build's page is <see cref="DroneClient.BuildPage"/>.
/// </summary>
public sealed record DroneBuild
{
    public long Number { get; init; }
    public DroneStatus Status { get; init; }
    public string Event { get; init; } = "";
    public string? After { get; init; }
    public string? Ref { get; init; }
    public Dictionary<string, string> Params { get; init; } = [];
    public string? Link { get; init; }
    public long Started { get; init; }
    public long Finished { get; init; }

    [JsonIgnore]
    public bool Done => Status is not (DroneStatus.Pending or DroneStatus.Running or DroneStatus.Blocked or DroneStatus.WaitingOnDependencies);
}
