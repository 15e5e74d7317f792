namespace RecipeCi.Processes;

/// <summary>
/// The secret values one run generated or read. Every line that reaches a log or an artifact of
/// that run passes through <see cref="Redact"/>. Owned by the run (or by the process mode that
/// handles secrets), so two runs in one process never share or leak each other's list.
/// </summary>
public sealed class Redactor
{
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    public const string Mask = "[REDACTED]";

    public void Register(string secret)
    {
        // Very short values would mask ordinary text; generated secrets are long.
        if (secret.Length < 6) return;
        lock (_gate) _secrets.Add(secret);
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        string[] secrets;
        lock (_gate) secrets = [.. _secrets];
        foreach (var s in secrets.OrderByDescending(s => s.Length))
            text = text.Replace(s, Mask, StringComparison.Ordinal);
        return text;
    }
}
