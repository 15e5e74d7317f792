using RecipeCi.Host;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>What the run deploys first: the base release (an upgrade follows), the head itself, or nothing.</summary>
public enum FirstDeploy { Base, Head, None }

/// <summary>
/// The rungs a run covers: the target's, narrowed by <c>--stages</c>. Install is always in:
/// every other rung needs a deployed app.
/// </summary>
public static class TargetPlan
{
    /// <summary>Targets whose chain tests an upgrade; for <c>Upgrade</c> it is the whole point.</summary>
    private static readonly HashSet<string> UpgradeTargets = new(["Upgrade", "Recipe"], StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["backup"] = "backup_restore", ["restore"] = "backup_restore", ["backup-restore"] = "backup_restore",
        ["functional"] = "custom",
    };

    public static IReadOnlySet<string> Rungs(string? stages)
    {
        if (string.IsNullOrWhiteSpace(stages)) return Verdicts.Rungs.Names.ToHashSet();
        var picked = new HashSet<string> { "install" };
        foreach (var raw in stages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = Aliases.GetValueOrDefault(raw, raw.ToLowerInvariant());
            if (!Verdicts.Rungs.Names.Contains(name))
                throw new UsageException($"--stages: unknown rung '{raw}'. Use any of: {string.Join(", ", Verdicts.Rungs.Names)}");
            picked.Add(name);
        }
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
