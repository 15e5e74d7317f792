using RecipeCi.Host;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>What the run deploys first: the base release (an upgrade follows), the head itself, or nothing.</summary>
public enum FirstDeploy { Base, Head, None }

/// <summary>
/// The rungs a run covers: the target's, narrowed by <c>--stages</c>. Install comes with any rung
/// that needs a deployed app.
/// </summary>
public static class TargetPlan
{
    /// <summary>Targets whose chain tests an upgrade; for <c>Upgrade</c> it is the whole point.</summary>
    private static readonly HashSet<string> UpgradeTargets = new(["Upgrade", "Recipe"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The rungs each target's chain can verify; a target not listed covers them all.</summary>
    private static readonly Dictionary<string, string[]> Coverage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Upgrade"] = ["install", "upgrade"],
        ["Install"] = ["install"],
        ["BackupRestore"] = ["install", "backup_restore"],
        ["Custom"] = ["install", "custom"],
        ["Lint"] = ["lint"],
    };

    /// <summary>
    /// The rungs this run sets out to verify. A rung outside them is reported <c>unver</c>, so a
    /// partial run (one target, or <c>--stages</c>) never shows a level it did not earn.
    /// </summary>
    public static IReadOnlyList<string> Planned(string target, IReadOnlySet<string> picked) =>
        Verdicts.Rungs.Names.Where(r => picked.Contains(r) && (!Coverage.TryGetValue(target, out var c) || c.Contains(r))).ToList();

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["backup"] = "backup_restore", ["restore"] = "backup_restore", ["backup-restore"] = "backup_restore",
        ["functional"] = "custom",
    };

    public static IReadOnlySet<string> Rungs(string? stages)
    {
        if (string.IsNullOrWhiteSpace(stages)) return Verdicts.Rungs.Names.ToHashSet();
        var picked = new HashSet<string>();
        foreach (var raw in stages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = Aliases.GetValueOrDefault(raw, raw.ToLowerInvariant());
            if (!Verdicts.Rungs.Names.Contains(name))
                throw new UsageException($"--stages: unknown rung '{raw}'. Use any of: {string.Join(", ", Verdicts.Rungs.Names)}");
            picked.Add(name);
        }
        // Every rung but lint needs the app deployed, which is the install rung's work.
        if (picked.Any(r => r != "lint")) picked.Add("install");
        return picked;
    }

    public static FirstDeploy Choose(string target, IReadOnlySet<string> rungs, BasePlan plan)
    {
        var upgrade = UpgradeTargets.Contains(target) && rungs.Contains("upgrade");
        if (upgrade && !plan.Skipped) return FirstDeploy.Base;
        if (string.Equals(target, "Upgrade", StringComparison.OrdinalIgnoreCase)) return FirstDeploy.None;
        return FirstDeploy.Head;
    }

    /// <summary>Why a stage of a rung does not run in this plan, or null when it runs.</summary>
    public static string? SkipReason(string stage, IReadOnlySet<string> rungs, FirstDeploy first, BasePlan? plan)
    {
        var rung = RunVerdict.RungOf.GetValueOrDefault(stage);
        if (rung is null) return null;
        if (!rungs.Contains(rung)) return $"the {rung} rung was not picked (--stages)";
        if (first == FirstDeploy.None) return $"no upgrade to test: {plan?.How}";
        if (rung == "upgrade" && first != FirstDeploy.Base)
            return plan is { Skipped: true } ? $"no upgrade to test: {plan.How}" : "the run installs the head; no upgrade in this target";
        return null;
    }
}
