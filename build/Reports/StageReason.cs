namespace RecipeCi.Reports;

/// <summary>
/// A reason as the console and the pages show it. The convergence judge appends each failed
/// service's task error as <c>[task error: …]</c>, and when the service's own words already quote
/// that error ("3 task(s) … failed and none runs: exited: …") it reads twice; shown, such a part
/// is left out, so the error appears once. results.json keeps the reason as it was recorded.
/// </summary>
public static class StageReason
{
    private const string Open = " [task error: ";

    public static string? Shown(string? reason)
    {
        if (reason is null) return null;
        var text = reason;
        var from = 0;
        int at;
        while ((at = text.IndexOf(Open, from, StringComparison.Ordinal)) >= 0)
        {
            var start = at + Open.Length;
            var end = Closing(text, start);
            if (end < 0) break;
            if (end > start && text.AsSpan(0, at).Contains(text.AsSpan(start, end - start), StringComparison.Ordinal))
            {
                text = text[..at] + text[(end + 1)..];
                from = at;
            }
            else from = end + 1;
        }
        return text;
    }

    /// <summary>The bracket that closes the part opened before <paramref name="from"/>; an error may hold brackets of its own.</summary>
    private static int Closing(string text, int from)
    {
        var depth = 0;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']' && depth-- == 0) return i;
        }
        return -1;
    }
}
