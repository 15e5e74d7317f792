namespace RecipeCi.Files;

/// <summary>
/// Replaces a file so that a reader never sees it half-written and a killed process leaves the
/// last complete version: a temp file beside it, then a rename. Evidence goes through
/// <see cref="ArtifactWriter"/>, which redacts first; this alone writes inputs (an app's env file).
/// </summary>
public static class AtomicFile
{
    public static void Replace(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
