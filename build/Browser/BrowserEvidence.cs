using System.IO.Compression;
using System.Text;
using RecipeCi.Files;
using RecipeCi.Processes;

namespace RecipeCi.Browser;

/// <summary>One step as it ran: what it was, where it was written, and what it found.</summary>
public sealed record BrowserStepRecord(int Number, string Step, string Origin, bool Passed, string Detail, double DurationS);

/// <summary>
/// <c>browser.json</c> in the check's folder: every step, the page's console errors and uncaught
/// exceptions, the requests that failed or answered 400 and above, the files kept beside it, and
/// where each domain the browser resolves leads (every other host resolves to nothing).
/// </summary>
public sealed record BrowserLog(
    string Check, string Url, IReadOnlyList<BrowserStepRecord> Steps, IReadOnlyList<string> ConsoleErrors,
    IReadOnlyList<string> FailedRequests, IReadOnlyList<string> Screenshots, string? Trace, IReadOnlyList<string> Resolves);

/// <summary>What a browser check leaves in its folder, every file passing through the run's redactor.</summary>
public sealed class BrowserEvidence(string folder, Redactor redactor)
{
    public const string LogFile = "browser.json";
    public const string TraceFile = "trace.zip";

    public string Folder => folder;

    public string PathOf(string file) => Path.Combine(folder, file);

    public string WriteLog(BrowserLog log) => new ArtifactWriter(redactor).WriteJson(PathOf(LogFile), log);

    /// <summary>
    /// Masks the run's secret values in the trace Playwright wrote: it records a fill's value and the
    /// page's DOM (an input's value included). Text entries are rewritten; images stay as they are.
    /// </summary>
    public void RedactTrace(string trace)
    {
        using var zip = ZipFile.Open(trace, ZipArchiveMode.Update);
        foreach (var entry in zip.Entries.ToList())
        {
            byte[] bytes;
            using (var read = entry.Open())
            using (var buffer = new MemoryStream())
            {
                read.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            if (Array.IndexOf(bytes, (byte)0) >= 0) continue;   // binary: a screenshot or a font
            var text = Encoding.UTF8.GetString(bytes);
            var redacted = redactor.Redact(text);
            if (redacted == text) continue;
            var name = entry.FullName;
            entry.Delete();
            using var write = zip.CreateEntry(name).Open();
            write.Write(Encoding.UTF8.GetBytes(redacted));
        }
    }
}
