using Newtonsoft.Json;
using RecipeCi.Processes;

namespace RecipeCi.Evidence;

/// <summary>
/// Writes <c>results.json</c> atomically (temp file, then rename), so a reader never sees half a
/// file and a killed run still leaves the last complete picture.
/// </summary>
public static class ResultsWriter
{
    public const string FileName = "results.json";

    public static string Write(string runDirectory, RunResult result)
    {
        Directory.CreateDirectory(runDirectory);
        var path = Path.Combine(runDirectory, FileName);
        var tmp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, Redactor.Redact(JsonConvert.SerializeObject(result, RunResult.Json)));
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
