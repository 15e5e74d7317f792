using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.State;

/// <summary>What the isolation re-runs of a red recipe say about its failure.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Classification
{
    /// <summary>Red again alone, stopped by the same stage with the same verdict: a defect of the release.</summary>
    [EnumMember(Value = "deterministic")] Deterministic,
    /// <summary>Passed alone: red only under the sweep's load.</summary>
    [EnumMember(Value = "flaky")] Flaky,
    /// <summary>Red again alone, but for another cause (another stage or verdict).</summary>
    [EnumMember(Value = "unstable")] Unstable,
}

/// <summary>One isolation re-run of a red recipe: alone, cold, at the same tag, in its own run folder.</summary>
public sealed record ConfirmationRun(int Attempt, Verdict Verdict, StageId? StoppedAt, string? Reason, int? ExitCode, bool NoVerdict, double WallS,
    string? Evidence, string? Log);
