using RecipeCi.Processes;

namespace RecipeCi.Evidence;

/// <summary>Writes a file a reader never sees half-written (temp file, then rename), redacted like every artifact.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, Redactor.Redact(text));
        File.Move(tmp, path, overwrite: true);
    }
}
