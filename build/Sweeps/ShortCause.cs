using System.Text.RegularExpressions;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// Why a sweep line is not green, in at most <see cref="MaxLength"/> characters so that its row
/// stays one line: where the run stopped (the stage's rung, else the stage), the verdict, and the
/// telling piece of the stage's reason ("upgrade rolled back: app exit 137"). The whole reason
/// stays in <c>summary.json</c>, in the page's title attribute and on the run page.
/// </summary>
public static partial class ShortCause
{
    public const int MaxLength = 80;

    /// <summary>Null for a pass; a skip says why it was not run; a line without a verdict says so first.</summary>
    public static string? Of(Verdict verdict, bool noVerdict, StageResult? stopped, string? reason)
    {
        if (verdict == Verdict.Passed && !noVerdict) return null;
        var piece = Piece(stopped?.Reason ?? reason);
        var head = noVerdict ? "no verdict"
            : verdict == Verdict.Skipped ? null
            : $"{(stopped is null ? "" : (stopped.Rung?.Word() ?? stopped.Name) + " ")}{verdict.Word().Replace('_', ' ')}";
        return Fit(head is null ? piece : piece.Length == 0 ? head : $"{head}: {piece}");
    }

    /// <summary>
    /// A failed task's service and what became of it (its exit code, else its failure category),
    /// as the convergence reason names them; otherwise the reason's first clause.
    /// </summary>
    private static string Piece(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return "";
        if (TaskError().Match(reason) is { Success: true } m)
        {
            var label = m.Groups["label"].Value.Trim();
            return m.Groups["exit"].Success && label is "exited" or "killed"
                ? $"{m.Groups["service"].Value} exit {m.Groups["exit"].Value}"
                : $"{m.Groups["service"].Value} {label}";
        }
        var end = ClauseEnds.Select(e => reason.IndexOf(e, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(reason.Length).Min();
        return reason[..end].Trim().TrimEnd('.', ':');
    }

    /// <summary>Where a reason's first clause ends: a sentence, a list item, the evidence pointer, a line.</summary>
    private static readonly string[] ClauseEnds = [". ", "; ", " (evidence: ", "\n"];

    private static string Fit(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 1)].TrimEnd() + "…";

    /// <summary>"&lt;service&gt;: &lt;detail&gt; [task error: &lt;category&gt;: ... exit code N ...]", as ConvergenceJudgement.Summary writes a failed service.</summary>
    [GeneratedRegex(@"(?:^|: |; )(?<service>[\w.-]+): [^\[\]]*\[task error: (?<label>[^:\]]+)[^\]]*?(?:exit code (?<exit>\d+)[^\]]*)?\]")]
    private static partial Regex TaskError();
}
