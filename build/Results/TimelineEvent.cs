using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Results;

[JsonConverter(typeof(StringEnumConverter))]
public enum TimelineKind
{
    /// <summary>A task changed state (swarm's own timestamp).</summary>
    [EnumMember(Value = "task")] Task,
    /// <summary>A service's update changed state (updating, completed, rollback_started, ...).</summary>
    [EnumMember(Value = "update")] Update,
    /// <summary>Something the harness did (a deploy, a checkout).</summary>
    [EnumMember(Value = "action")] Action,
    /// <summary>What the harness decided, and why.</summary>
    [EnumMember(Value = "decision")] Decision,
}

/// <summary>
/// One thing that happened during a run, on the time axis the report draws: a task's state, a
/// service's update state, or the harness's own action or decision. <see cref="Lane"/> is the
/// service (or <c>harness</c>); <see cref="Spec"/> which spec a task ran (<c>base</c>, <c>head</c>,
/// <c>rollback</c>, <c>previous</c>).
/// </summary>
public sealed record TimelineEvent(DateTimeOffset At, TimelineKind Kind, string Lane, string State, string Text)
{
    /// <summary>The state of the harness's action that removed the stack: what ran on it ends there.</summary>
    public const string Removed = "removed";
    /// <summary>The states of the harness's decisions: what it judged held (a deploy converged), did not hold, or refused to deploy.</summary>
    public const string Held = "held", NotHeld = "not_held", Refused = "refused";

    public string? Task { get; init; }
    public string? Spec { get; init; }
}

/// <summary><c>timeline.json</c> of a run (schema 1): every event, times also relative to the first deploy.</summary>
public sealed record TimelineFile(int Schema, DateTimeOffset? Origin, IReadOnlyList<TimelineEvent> Events)
{
    public const string FileName = "timeline.json";
}
