using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

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
public sealed record ConfirmationRun(int Attempt, Verdict Verdict, string? StoppedAt, string? Reason, int? ExitCode, bool NoVerdict, double WallS,
    string? Evidence, string? Log);

public static class Confirmations
{
    /// <summary>The stage that stopped a run: the first that ended neither passed, skipped nor unverified and counts for the verdict.</summary>
    public static StageResult? Stopping(RunResult? result) =>
        result?.Stages.FirstOrDefault(s => !s.VerdictNeutral && s.Status is not (StageStatus.Passed or StageStatus.Skipped or StageStatus.Unverified));

    public static string? StoppedAt(RunResult? result) => Stopping(result)?.Name;

    /// <summary>
    /// Flaky when any re-run passed; deterministic when every re-run stopped where the sweep's run
    /// did, with its verdict; unstable otherwise.
    /// </summary>
    public static Classification Classify(Verdict verdict, string? stoppedAt, IReadOnlyCollection<ConfirmationRun> reruns) =>
        reruns.Any(r => r.Verdict == Verdict.Passed) ? Classification.Flaky
        : reruns.All(r => r.Verdict == verdict && r.StoppedAt == stoppedAt) ? Classification.Deterministic
        : Classification.Unstable;
}
