namespace RecipeCi.Processes;

/// <summary>
/// Every secret value the run generates or reads is registered here, and every line that reaches
/// a log or an artifact passes through <see cref="Redact"/>.
/// </summary>
public static class Redactor
{
    private static readonly HashSet<string> Secrets = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();
    public const string Mask = "[REDACTED]";

    public static void Register(string secret)
    {
        // Very short values would mask ordinary text; generated secrets are long.
        if (secret.Length < 6) return;
        lock (Gate) Secrets.Add(secret);
    }

    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        string[] secrets;
        lock (Gate) secrets = [.. Secrets];
        foreach (var s in secrets.OrderByDescending(s => s.Length))
            text = text.Replace(s, Mask, StringComparison.Ordinal);
        return text;
    }
}
