using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Verdicts;

/// <summary>How a run ended: the outcome of the first stage that stopped it, or passed.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Verdict
{
    [EnumMember(Value = "passed")] Passed,
    [EnumMember(Value = "failed")] Failed,
    [EnumMember(Value = "error")] Error,
    /// <summary>A stage that should have run did not, and nothing else stopped the run.</summary>
    [EnumMember(Value = "unverified")] Unverified,
    [EnumMember(Value = "timed_out")] TimedOut,
    [EnumMember(Value = "rolled_back")] RolledBack,
    [EnumMember(Value = "baseline_broken")] BaselineBroken,
    /// <summary>A deploy was not made: the recipe reaches into the CI host and the catalogue allows none of it.</summary>
    [EnumMember(Value = "refused")] Refused,
    /// <summary>A sweep did not run the recipe (nothing new released). Never the verdict of a run.</summary>
    [EnumMember(Value = "skipped")] Skipped,
}
