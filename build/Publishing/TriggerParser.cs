using RecipeCi.Verdicts;

namespace RecipeCi.Publishing;

/// <summary>What a <c>!testme</c> comment asks for.</summary>
public enum TriggerMode
{
    /// <summary><c>!testme</c>: every rung, cold; the authoritative run.</summary>
    Full,
    /// <summary><c>!testme --quick</c>: install and upgrade only; lower confidence, never gates a merge.</summary>
    Quick,
}

/// <summary>
/// Reads a PR comment as a trigger: exactly <c>!testme</c> or <c>!testme --quick</c> (surrounding
/// whitespace aside). Anything else, <c>!testmexyz</c> or <c>!testme foo</c> included, is not a
/// trigger, so a comment that merely mentions the command never starts a run.
/// </summary>
public static class TriggerParser
{
    public static TriggerMode? Parse(string? comment) => comment?.Trim() switch
    {
        "!testme" => TriggerMode.Full,
        "!testme --quick" => TriggerMode.Quick,
        _ => null,
    };

    /// <summary>The Drone build parameter STAGES for a trigger: the rungs the Recipe target runs (its --stages).</summary>
    public static string Stages(TriggerMode mode) =>
        Rungs.Words(mode == TriggerMode.Quick ? [Rung.Install, Rung.Upgrade] : Rungs.All);

    /// <summary>A run that left rungs out is a quick one: it says less, and the PR is told so.</summary>
    public static bool IsQuick(IReadOnlySet<Rung> rungs) => !Rungs.All.All(rungs.Contains);
}
