using RecipeCi.Processes;

namespace RecipeCi.Files;

/// <summary>
/// The one way evidence reaches the disk: redacted with the owner's <see cref="Redactor"/>,
/// written atomically, JSON in the project's one convention (<see cref="JsonConvention"/>).
/// </summary>
public sealed class ArtifactWriter(Redactor redactor)
{
    /// <summary>
    /// For the processes that never hold a secret value: sweeps (each recipe process redacts its
    /// own output), the janitor, Publish and the benchmarks.
    /// </summary>
    public static ArtifactWriter NoSecrets { get; } = new(new Redactor());

    public Redactor Redactor => redactor;

    public string Write(string path, string text)
    {
        AtomicFile.Replace(path, redactor.Redact(text));
        return path;
    }

    public string WriteJson(string path, object? value) => Write(path, JsonConvention.Serialize(value));
}
