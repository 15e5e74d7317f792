using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Verdicts;

/// <summary>The outcome of one stage. Only <see cref="Passed"/> and <see cref="Skipped"/> let the run go on.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum StageStatus
{
    [EnumMember(Value = "passed")] Passed,
    [EnumMember(Value = "failed")] Failed,
    /// <summary>The harness or its infrastructure broke; says nothing about the recipe.</summary>
    [EnumMember(Value = "error")] Error,
    /// <summary>Intentionally not run, with a reason.</summary>
    [EnumMember(Value = "skipped")] Skipped,
    /// <summary>Should have run and did not (an earlier stage stopped the run).</summary>
    [EnumMember(Value = "unverified")] Unverified,
    [EnumMember(Value = "timed_out")] TimedOut,
    [EnumMember(Value = "rolled_back")] RolledBack,
    /// <summary>The release the upgrade starts from could not be deployed: not an upgrade failure.</summary>
    [EnumMember(Value = "baseline_broken")] BaselineBroken,
    /// <summary>The trust boundary stopped a deploy: the recipe reaches into the CI host (see VetBase, VetHead).</summary>
    [EnumMember(Value = "refused")] Refused,
}

public static class StageStatuses
{
    public static bool LetsRunContinue(this StageStatus status) => status is StageStatus.Passed or StageStatus.Skipped;

    /// <summary>A finding about the recipe (JUnit failure), as opposed to a harness error or a skip.</summary>
    public static bool IsFailure(this StageStatus status) =>
        status is StageStatus.Failed or StageStatus.RolledBack or StageStatus.TimedOut or StageStatus.BaselineBroken or StageStatus.Refused;

    /// <summary>A verdict a failing stage gives (<see cref="IsFailure(StageStatus)"/>): a finding about the recipe, as opposed to a harness error, unverified or skipped.</summary>
    public static bool IsFailure(this Verdict verdict) => FailureVerdicts.Contains(verdict);

    private static readonly HashSet<Verdict> FailureVerdicts = [.. Enum.GetValues<StageStatus>().Where(s => s.IsFailure()).Select(s => s.ToVerdict())];

    /// <summary>The verdict a stopping stage gives the run. A skip never stops a run.</summary>
    public static Verdict ToVerdict(this StageStatus stopped) => stopped switch
    {
        StageStatus.Passed or StageStatus.Skipped => Verdict.Passed,
        StageStatus.Failed => Verdict.Failed,
        StageStatus.Error => Verdict.Error,
        StageStatus.Unverified => Verdict.Unverified,
        StageStatus.TimedOut => Verdict.TimedOut,
        StageStatus.RolledBack => Verdict.RolledBack,
        StageStatus.BaselineBroken => Verdict.BaselineBroken,
        StageStatus.Refused => Verdict.Refused,
        _ => throw new ArgumentOutOfRangeException(nameof(stopped), stopped, null),
    };
}
