using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;

namespace RecipeCi.Lifecycle;

/// <summary>
/// The run's results.json as it stands: every stage recorded so far, the verdict, the rungs and the
/// level derived from them, and what the stages found. Writing it (and the pages made from it) is
/// the caller's, after every stage.
/// </summary>
public sealed class RunReport(RunInputs inputs, RecipeEntry entry, TargetScope target, string driver, RunFolders folders, StageBook book, DateTimeOffset startedAt)
{
    /// <param name="finishedAt">When the run's results became final; null while it runs.</param>
    /// <param name="environment">What the run runs with, once observed.</param>
    /// <param name="sinceGreen">The run against the recipe's last green one, once known; shown only while the verdict is not green.</param>
    public RunResult Build(DateTimeOffset? finishedAt, RunEnvironment? environment, SinceGreen? sinceGreen)
    {
        var found = book.Results;
        var plan = found.Plan;
        var named = found.NamedApp;
        var stages = book.Stages.Select(s => new StageResult
        {
            Name = s.Name,
            Rung = s.Kind.Rung,
            Folder = s.Folder,
            Status = s.Status,
            Reason = s.Reason,
            CoverageGap = s.CoverageGap,
            StartedAt = s.StartedAt,
            DurationS = Math.Round(s.Duration.TotalSeconds, 3),
            Evidence = [.. s.Evidence],
            VerdictNeutral = s.Kind.VerdictNeutral,
            WaitsOnSwarm = s.Kind.WaitsOnSwarm,
            Checks = [.. s.Checks],
            Failure = s.Failure,
        }).ToList();
        var planned = target.Planned(inputs.Rungs);
        var verdict = RunVerdict.Of(stages, planned);
        var upgrade = found.HeadDeployment?.Env;
        var marker = found.UpgradeMarker?.Commands.How ?? ResultSlots.UpgradeMarker.WhyMissing(found);
        return new RunResult
        {
            RunId = inputs.RunId,
            Recipe = entry.Name,
            Mode = target.Name.ToLowerInvariant(),
            Pr = inputs.Pr,
            Ref = plan?.HeadRef ?? inputs.Ref,
            BaseVersion = plan?.Base.Tag?.Name,
            HeadVersion = plan?.HeadVersion?.Text,
            Driver = driver,
            AppDomain = named?.Domain ?? "",
            Stack = named?.Stack.Value ?? "",
            Verdict = verdict.Verdict,
            Reason = verdict.Reason,
            Level = verdict.Level,
            Rungs = verdict.Rungs,
            Planned = [.. Verdicts.Rungs.All.Where(planned.Contains)],
            Stages = stages,
            Teardown = found.Teardown,
            Admission = found.Admission,
            Environment = environment,
            SinceGreen = verdict.Verdict == Verdicts.Verdict.Passed ? null : sinceGreen,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Evidence = folders.Run,
            EnvUpgrade = upgrade,
            Allow = [.. entry.Allow],
            Allowed = [.. (found.VettedBase?.Allowed ?? []).Concat(found.VettedHead?.Allowed ?? [])],
            Customization = CustomizationManifest.WithUpgrade(plan?.Customization ?? new Dictionary<string, object?>(), upgrade, marker),
        };
    }
}
