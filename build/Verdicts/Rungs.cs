using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Verdicts;

[JsonConverter(typeof(StringEnumConverter))]
public enum RungStatus
{
    [EnumMember(Value = "pass")] Pass,
    [EnumMember(Value = "fail")] Fail,
    /// <summary>Intentionally not run (not part of the target, no predecessor release, ...): climbed past.</summary>
    [EnumMember(Value = "skip")] Skip,
    /// <summary>Should have run and did not: blocks the level like a failure.</summary>
    [EnumMember(Value = "unver")] Unverified,
}

/// <summary>The rungs, lowest first: L1 install, L2 upgrade, L3 backup+restore, L4 custom, L5 lint.</summary>
public static class Rungs
{
    public static readonly string[] Names = ["install", "upgrade", "backup_restore", "custom", "lint"];

    /// <summary>
    /// The highest rung that passed with every rung below it passed or intentionally skipped.
    /// The level is presentation: it never changes the verdict.
    /// </summary>
    public static int Level(IReadOnlyDictionary<string, RungStatus> rungs)
    {
        var level = 0;
        for (var i = 0; i < Names.Length; i++)
        {
            var status = rungs.TryGetValue(Names[i], out var s) ? s : RungStatus.Unverified;
            if (status == RungStatus.Pass) level = i + 1;
            else if (status != RungStatus.Skip) break;
        }
        return level;
    }
}
