using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.State;

namespace RecipeCi.Reaping;

/// <summary>A stack of a dead run that the janitor removed, and what it could not remove.</summary>
public sealed record ReapedStack(
    string Domain,
    string Stack,
    string LockFile,
    string? RunId,
    int? Pid,
    string? RunDirectory,
    string Through,
    List<string> Removed,
    List<string> Leaked,
    List<string> Problems);

/// <summary>A lock that is held: a live run (or another janitor reaping it); never touched.</summary>
public sealed record HeldLock(string Domain, string LockFile, DateTimeOffset HeldSince, string? Warning);

/// <summary>A lock file the janitor passed over, with why.</summary>
public sealed record SkippedLock(string LockFile, string Reason);

/// <summary>What one janitor pass found and did, written to <c>artifacts/janitor/</c>.</summary>
public sealed class JanitorReport
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string LockDir { get; init; } = "";
    /// <summary>The domain suffix whose unrecorded stacks were also reaped, or null when only lock files counted.</summary>
    public string? UnrecordedSuffix { get; init; }
    public List<ReapedStack> Reaped { get; } = [];
    public List<HeldLock> Held { get; } = [];
    public List<SkippedLock> Skipped { get; } = [];
    /// <summary>Lock files of runs that had left nothing behind, removed.</summary>
    public List<string> StaleLocksRemoved { get; } = [];
    /// <summary>Admission reservations of dead runs (their app-domain lock was free), by domain.</summary>
    public List<string> ReservationsCleared { get; } = [];
    /// <summary>Run ids' folders of what runs kept outside their run folders (bad-input messages), pruned past the retention.</summary>
    public List<string> Pruned { get; } = [];
    /// <summary>Candidates that could not be examined (docker failed); their lock files stay.</summary>
    public List<string> Errors { get; } = [];

    public bool Clean => Errors.Count == 0 && Reaped.All(r => r.Leaked.Count == 0);

    /// <summary>The pass in brief, for the console and a sweep's summary; <paramref name="reportPath"/> is where this report was written.</summary>
    public JanitorPass Pass(string reportPath) => new(
        Reaped.Count, Held.Count, StaleLocksRemoved.Count, ReservationsCleared.Count, Skipped.Count,
        Reaped.Count(r => r.Leaked.Count > 0), [.. Errors],
        Math.Round(((FinishedAt ?? StartedAt) - StartedAt).TotalSeconds, 3), reportPath);

    public string Write(string artifacts)
    {
        var path = Path.Combine(artifacts, "janitor", $"{StartedAt:yyyyMMdd-HHmmss.fff}-{Environment.ProcessId}.json");
        return ArtifactWriter.NoSecrets.WriteJson(path, this);
    }

    public static JanitorReport Read(string path) =>
        JsonConvention.Read<JanitorReport>(path);
}
