using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Verdicts;

/// <summary>The rungs of the ladder, lowest first: L1 install, L2 upgrade, L3 backup+restore, L4 custom, L5 lint.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Rung
{
    [EnumMember(Value = "install")] Install,
    [EnumMember(Value = "upgrade")] Upgrade,
    [EnumMember(Value = "backup_restore")] BackupRestore,
    [EnumMember(Value = "custom")] Custom,
    [EnumMember(Value = "lint")] Lint,
}

[JsonConverter(typeof(StringEnumConverter))]
public enum RungStatus
{
    [EnumMember(Value = "pass")] Pass,
    [EnumMember(Value = "fail")] Fail,
    /// <summary>Intentionally not run (not part of the target, no predecessor release, ...): climbed past.</summary>
    [EnumMember(Value = "skip")] Skip,
    /// <summary>Should have run and did not: blocks the level like a failure.</summary>
    [EnumMember(Value = "unver")] Unverified,
    /// <summary>
    /// Could not run for what the recipe lacks (no backup labels, no custom checks) and recipes.yaml
    /// does not declare it not applicable: a coverage gap, which blocks the level like a failure
    /// (a level must not be earned by checks that never ran) and leaves the verdict alone.
    /// </summary>
    [EnumMember(Value = "gap")] Gap,
}

public static class Rungs
{
    /// <summary>Every rung, lowest first.</summary>
    public static readonly IReadOnlyList<Rung> All = Enum.GetValues<Rung>();

    /// <summary>
    /// The highest rung that passed with every rung below it passed or intentionally skipped
    /// (declared not applicable, or no predecessor release); a failed, unverified or gap rung ends
    /// the climb. The level is presentation: it never changes the verdict.
    /// </summary>
    public static int Level(IReadOnlyDictionary<Rung, RungStatus> rungs)
    {
        var level = 0;
        foreach (var rung in All)
        {
            var status = rungs.TryGetValue(rung, out var s) ? s : RungStatus.Unverified;
            if (status == RungStatus.Pass) level = (int)rung + 1;
            else if (status != RungStatus.Skip) break;
        }
        return level;
    }

    /// <summary>A rung whose checks found something wrong with the recipe; unver and gap hold the level without being failures.</summary>
    public static bool IsFailure(this RungStatus status) => status == RungStatus.Fail;

    /// <summary>The rungs as a comma-separated list of their words (install,upgrade,...).</summary>
    public static string Words(IEnumerable<Rung> rungs) => string.Join(",", rungs.Order().Select(r => r.Word()));
}
