using RecipeCi.Evidence;

namespace RecipeCi.Lifecycle;

/// <summary>Brings results.json and junit.xml up to date with the stages recorded so far.</summary>
public static class RunReport
{
    public static RunResult Build(RecipeRun run)
    {
        var found = run.Stages.Results;
        var plan = found.Plan;
        var named = found.NamedApp;
        var stages = run.Stages.Stages.Select(s => new StageResult
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
        var planned = run.Target.Planned(run.Options.Rungs);
        var verdict = RunVerdict.Of(stages, planned);
        var upgrade = found.HeadDeployment?.Env;
        var marker = found.UpgradeMarker?.Commands.How ?? ResultSlots.UpgradeMarker.WhyMissing(found);
        return new RunResult
        {
            RunId = run.Options.RunId,
            Recipe = run.Entry.Name,
            Mode = run.Target.Name.ToLowerInvariant(),
            Pr = run.Options.Pr,
            Ref = plan?.HeadRef ?? run.Options.Ref,
            BaseVersion = plan?.Base.Tag?.Name,
            HeadVersion = plan?.HeadVersion?.Text,
            Driver = run.Abra.Kind,
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
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Evidence = run.RunDirectory,
            EnvUpgrade = upgrade,
            Allow = [.. run.Entry.Allow],
            Allowed = [.. (found.VettedBase?.Allowed ?? []).Concat(found.VettedHead?.Allowed ?? [])],
            Customization = CustomizationManifest.WithUpgrade(plan?.Customization ?? new Dictionary<string, object?>(), upgrade, marker),
        };
    }

    public static RunResult Write(RecipeRun run)
    {
        var result = Build(run);
        result.Write(run.RunDirectory, run.Artifacts);
        JUnitWriter.Write(run.RunDirectory, result, run.Artifacts);
        var timeline = run.Timeline.File();
        run.Artifacts.WriteJson(Path.Combine(run.RunDirectory, TimelineFile.FileName), timeline);
        run.Artifacts.Write(Path.Combine(run.RunDirectory, RunPage.FileName), RunPage.Render(result, timeline));
        return result;
    }
}
