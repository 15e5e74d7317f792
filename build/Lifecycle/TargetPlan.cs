using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Declares, on a target task, the rungs its chain can verify. A target that covers the upgrade
/// rung tests an upgrade when the recipe has a release before the head; with
/// <see cref="UpgradeOrNothing"/> it deploys nothing when there is none (the Upgrade target).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CoversAttribute(params Rung[] rungs) : Attribute
{
    public IReadOnlySet<Rung> Rungs { get; } = rungs.ToHashSet();
    public bool UpgradeOrNothing { get; init; }
}

/// <summary>The target a run serves: its name and the rungs it covers.</summary>
public sealed record TargetScope(string Name, IReadOnlySet<Rung> Covers, bool UpgradeOrNothing)
{
    public static TargetScope Of(string name, CoversAttribute? covers) =>
        new(name, covers?.Rungs ?? Rungs.All.ToHashSet(), covers?.UpgradeOrNothing ?? false);

    /// <summary>
    /// The rungs this run sets out to verify: the target's, narrowed by <c>--stages</c>. A rung
    /// outside them is reported <c>unver</c>, so a partial run never shows a level it did not earn.
    /// </summary>
    public IReadOnlySet<Rung> Planned(IReadOnlySet<Rung> picked) => Rungs.All.Where(r => picked.Contains(r) && Covers.Contains(r)).ToHashSet();

    /// <summary>Whether the target verifies <paramref name="rung"/> and nothing else.</summary>
    public bool CoversOnly(Rung? rung) => rung is { } r && Covers.Count == 1 && Covers.Contains(r);

    public FirstDeploy Choose(IReadOnlySet<Rung> picked, BasePlan plan)
    {
        var upgrade = Covers.Contains(Rung.Upgrade) && picked.Contains(Rung.Upgrade);
        if (upgrade && !plan.Skipped) return FirstDeploy.Base;
        return UpgradeOrNothing ? FirstDeploy.None : FirstDeploy.Head;
    }
}

/// <summary>The rungs picked with <c>--stages</c>, and why a stage of a rung does not run in a plan.</summary>
public static class TargetPlan
{
    private static readonly Dictionary<string, Rung> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["backup"] = Rung.BackupRestore, ["restore"] = Rung.BackupRestore, ["backup-restore"] = Rung.BackupRestore,
        ["functional"] = Rung.Custom,
    };

    /// <summary>The rungs of <c>--stages</c> (all when empty). Install comes with any rung that needs a deployed app.</summary>
    public static IReadOnlySet<Rung> Rungs(string? stages)
    {
        if (string.IsNullOrWhiteSpace(stages)) return Verdicts.Rungs.All.ToHashSet();
        var picked = new HashSet<Rung>();
        foreach (var raw in stages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            picked.Add(Aliases.TryGetValue(raw, out var alias) ? alias
                : EnumWords.Parse<Rung>(raw.ToLowerInvariant())
                  ?? throw new BadInputException($"--stages: unknown rung '{raw}'. Use any of: {string.Join(", ", Verdicts.Rungs.All.Select(r => r.Word()))}"));
        // Every rung but lint needs the app deployed, which is the install rung's work.
        if (picked.Any(r => r != Rung.Lint)) picked.Add(Rung.Install);
        return picked;
    }

    /// <summary>Why a stage of <paramref name="rung"/> does not run in this plan, or null when it runs.</summary>
    public static string? SkipReason(Rung rung, IReadOnlySet<Rung> planned, FirstDeploy first, BasePlan basePlan)
    {
        if (!planned.Contains(rung)) return $"the {rung.Word()} rung was not picked (--stages)";
        if (rung == Rung.Lint) return null;
        if (first == FirstDeploy.None) return $"no upgrade to test: {basePlan.How}";
        if (rung == Rung.Upgrade && first != FirstDeploy.Base)
            return basePlan.Skipped ? $"no upgrade to test: {basePlan.How}" : "the run installs the head; no upgrade in this target";
        return null;
    }
}
