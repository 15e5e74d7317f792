using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The verdict, the rungs and the level, derived from the stage records alone.</summary>
public sealed record RunVerdict(Verdict Verdict, string? Reason, Dictionary<Rung, RungStatus> Rungs, int Level)
{
    public static RunVerdict Of(IReadOnlyList<StageResult> stages, IReadOnlySet<Rung> planned)
    {
        var first = stages.FirstOrDefault(s => !s.Status.LetsRunContinue() && s.Status != StageStatus.Unverified && !s.VerdictNeutral);
        var verdict = first?.Status.ToVerdict() ?? (stages.Any(s => s.Status == StageStatus.Unverified) ? Verdict.Unverified : Verdict.Passed);
        var reason = first is null ? null : $"{first.Name}: {first.Reason} (evidence: {first.Folder}/)";
        var cold = RungDeploys.ColdInstall(stages);
        // A broken base is no verdict on the head; a head that does not install either is a failure, and the reason names both.
        if (first?.Status == StageStatus.BaselineBroken && cold is { } c && c.Status.IsFailure())
        {
            verdict = Verdict.Failed;
            reason = $"{reason}; the head did not install cold either: {c.Name}: {c.Reason} (evidence: {c.Folder}/)";
        }
        var rungs = Verdicts.Rungs.All.ToDictionary(r => r, r => planned.Contains(r)
            ? RungFrom(r, Judged(r, stages, cold))
            : RungStatus.Unverified);
        return new RunVerdict(verdict, reason, rungs, Verdicts.Rungs.Level(rungs));
    }

    /// <summary>
    /// The stages a rung is judged by. The install rung is about the head: when the head was
    /// installed cold, that install alone judges it, whatever became of the base's.
    /// </summary>
    private static List<StageResult> Judged(Rung rung, IReadOnlyList<StageResult> stages, StageResult? cold) =>
        rung == Rung.Install && cold is not null ? [cold] : stages.Where(s => s.Rung == rung).ToList();

    private static RungStatus RungFrom(Rung rung, List<StageResult> stages)
    {
        if (stages.Count == 0) return RungStatus.Unverified;   // planned, yet no stage of it ran
        if (stages.Any(s => s.Status is StageStatus.Failed or StageStatus.RolledBack or StageStatus.TimedOut or StageStatus.Refused)) return RungStatus.Fail;
        // A base that cannot be installed failed the install rung; the upgrade it blocked is unverified.
        if (rung == Rung.Install && stages.Any(s => s.Status is StageStatus.BaselineBroken)) return RungStatus.Fail;
        if (stages.Any(s => s.Status is StageStatus.Error or StageStatus.Unverified or StageStatus.BaselineBroken)) return RungStatus.Unverified;
        if (stages.All(s => s.Status == StageStatus.Skipped))
            return stages.Any(s => s.CoverageGap) ? RungStatus.Gap : RungStatus.Skip;
        return RungStatus.Pass;
    }
}
