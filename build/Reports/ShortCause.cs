using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Reports;

/// <summary>
/// Why a sweep line is not green, in at most <see cref="MaxLength"/> characters so that its row
/// stays one line: where the run stopped (the stage's rung, else the stage), the verdict, and the
/// telling piece of the stage's failure ("upgrade rolled back: app exit 137": the failed service,
/// as the convergence stage recorded it, typed), else its reason's first clause. The whole reason
/// stays in <c>summary.json</c>, in the page's title attribute and on the run page.
/// </summary>
public static class ShortCause
{
    public const int MaxLength = 80;

    /// <summary>Null for a pass; a skip says why it was not run; a line without a verdict says so first.</summary>
    public static string? Of(Verdict verdict, bool noVerdict, StageResult? stopped, string? reason)
    {
        if (verdict == Verdict.Passed && !noVerdict) return null;
        var piece = stopped?.Failure?.Brief ?? FirstClause(stopped?.Reason ?? reason);
        var head = noVerdict ? "no verdict"
            : verdict == Verdict.Skipped ? null
            : $"{(stopped is null ? "" : (stopped.Rung?.Word() ?? stopped.Name) + " ")}{verdict.Word().Replace('_', ' ')}";
        return Fit(head is null ? piece : piece.Length == 0 ? head : $"{head}: {piece}");
    }

    /// <summary>The reason's first clause.</summary>
    private static string FirstClause(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return "";
        var end = ClauseEnds.Select(e => reason.IndexOf(e, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(reason.Length).Min();
        return reason[..end].Trim().TrimEnd('.', ':');
    }

    /// <summary>Where a reason's first clause ends: a sentence, a list item, the evidence pointer, a line.</summary>
    private static readonly string[] ClauseEnds = [". ", "; ", " (evidence: ", "\n"];

    private static string Fit(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 1)].TrimEnd() + "…";
}
