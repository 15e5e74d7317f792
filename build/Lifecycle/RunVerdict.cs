using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>Derives the verdict, the rungs and the level from the stage records.</summary>
public static class RunVerdict
{
    /// <summary>Which rung each stage belongs to. Stages of no rung (fetch, teardown) affect only the verdict.</summary>
    public static readonly IReadOnlyDictionary<string, string> RungOf = new Dictionary<string, string>
    {
        // The run's first deploy: the base release when an upgrade is tested, else the head.
        ["DeployBase"] = "install",
        ["AwaitBaseConvergence"] = "install",
        ["AwaitBaseHealthy"] = "install",
        ["CheckoutHead"] = "upgrade",
        ["ChaosRedeploy"] = "upgrade",
        ["AwaitHeadConvergence"] = "upgrade",
        ["AwaitHeadHealthy"] = "upgrade",
        ["AssertHeadDeployed"] = "upgrade",
        ["SeedMarker"] = "backup_restore",
        ["Backup"] = "backup_restore",
        ["Mutate"] = "backup_restore",
        ["Restore"] = "backup_restore",
        ["VerifyMarker"] = "backup_restore",
        ["CustomChecks"] = "custom",
        ["LintRecipe"] = "lint",
    };

    public static void Apply(RunResult result)
    {
        var first = result.Stages.FirstOrDefault(s => !s.Status.LetsRunContinue() && s.Status != StageStatus.Unverified && !s.VerdictNeutral);
        result.Verdict = first?.Status.Text() ?? (result.Stages.Any(s => s.Status == StageStatus.Unverified) ? "unverified" : "passed");
        result.Reason = first is null ? null : $"{first.Name}: {first.Reason} (evidence: {first.Folder}/)";

        result.Rungs = Rungs.Names.ToDictionary(r => r, r => result.Planned.Contains(r)
            ? RungFrom(r, result.Stages.Where(s => RungOf.GetValueOrDefault(s.Name) == r).ToList())
            : RungStatus.Unverified);
        result.Level = Verdicts.Rungs.Level(result.Rungs);
    }

    private static RungStatus RungFrom(string rung, List<StageResult> stages)
    {
        if (stages.Count == 0) return RungStatus.Unverified;   // planned, yet no stage of it ran
        if (stages.Any(s => s.Status is StageStatus.Failed or StageStatus.RolledBack or StageStatus.TimedOut)) return RungStatus.Fail;
        // A base that cannot be installed failed the install rung; the upgrade it blocked is unverified.
        if (rung == "install" && stages.Any(s => s.Status is StageStatus.BaselineBroken)) return RungStatus.Fail;
        if (stages.Any(s => s.Status is StageStatus.Error or StageStatus.Unverified or StageStatus.BaselineBroken)) return RungStatus.Unverified;
        return stages.All(s => s.Status == StageStatus.Skipped) ? RungStatus.Skip : RungStatus.Pass;
    }
}
