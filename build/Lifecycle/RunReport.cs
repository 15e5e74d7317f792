using RecipeCi.Evidence;

namespace RecipeCi.Lifecycle;

/// <summary>Brings results.json and junit.xml up to date with the stages recorded so far.</summary>
public static class RunReport
{
    public static void Write(RecipeRun run)
    {
        var r = run.Result;
        r.AppDomain = run.Domain;
        r.Stack = run.Stack;
        r.Ref = run.HeadRef ?? run.Options.Ref;
        r.HeadVersion = run.HeadVersion?.Text;
        r.BaseVersion = run.Base?.Tag?.Name;
        r.Planned = [.. TargetPlan.Planned(run.Target, run.Options.Rungs)];
        r.Stages = run.Stages.Stages.Select(s => new StageResult
        {
            Name = s.Name,
            Folder = s.Folder,
            Status = s.Status,
            Reason = s.Reason,
            StartedAt = s.StartedAt,
            DurationS = Math.Round(s.Duration.TotalSeconds, 3),
            Evidence = [.. s.Evidence],
            VerdictNeutral = s.VerdictNeutral,
            Checks = [.. s.Checks],
        }).ToList();
        RunVerdict.Apply(r);
        ResultsWriter.Write(run.RunDirectory, r);
        JUnitWriter.Write(run.RunDirectory, r);
    }
}
