using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

public static class Confirmations
{
    /// <summary>The stage that stopped a run: the first that ended neither passed, skipped nor unverified and counts for the verdict.</summary>
    public static StageId? StoppedAt(RunResult? result) => result?.StoppingStage()?.Stage;

    /// <summary>
    /// Flaky when any re-run passed; deterministic when every re-run stopped where the sweep's run
    /// did, with its verdict; unstable otherwise.
    /// </summary>
    public static Classification Classify(Verdict verdict, StageId? stoppedAt, IReadOnlyCollection<ConfirmationRun> reruns) =>
        reruns.Any(r => r.Verdict == Verdict.Passed) ? Classification.Flaky
        : reruns.All(r => r.Verdict == verdict && r.StoppedAt == stoppedAt) ? Classification.Deterministic
        : Classification.Unstable;
}
