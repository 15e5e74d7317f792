using System.Text.RegularExpressions;
using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Locks;
using RecipeCi.Machine;
using RecipeCi.Results;
using RecipeCi.Tables;
using RecipeCi.Verdicts;

namespace RecipeCi.Status;

/// <summary>Whether an entry of the lock folder is a run alive now.</summary>
public enum RunState
{
    /// <summary>Some process holds the flock of its lock file.</summary>
    Live,
    /// <summary>Its file or reservation outlived its run: nobody holds the lock; the janitor will clear it.</summary>
    Stale,
}

/// <summary>What a run holds back for itself until its first deploy converged.</summary>
public sealed record ReservedShare(int MemoryMb, int DiskMb);

/// <summary>One app domain of the lock folder: its lock file's record, its run's current stage, its reservation.</summary>
public sealed record StatusEntry(
    RunState State,
    string Domain,
    string? Recipe,
    string? RunId,
    string? Target,
    string? Stage,
    DateTimeOffset? Since,
    int? Pid,
    bool? PidAlive,
    ReservedShare? Reserved,
    string? Note,
    string? LockFile,
    string? RunDirectory);

/// <summary>The runs of one lock folder at one moment: what <c>--target=Status</c> prints.</summary>
public sealed class StatusReport
{
    /// <summary>Exit code when no run holds a lock: a maintenance script may go ahead.</summary>
    public const int NothingRuns = 0;
    /// <summary>Exit code when some run holds a lock: a maintenance script waits.</summary>
    public const int SomethingRuns = 3;

    public string LockDir { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public List<StatusEntry> Runs { get; init; } = [];
    public bool Running => Runs.Any(r => r.State == RunState.Live);

    [JsonIgnore]
    public int ExitCode => Running ? SomethingRuns : NothingRuns;

    /// <summary>The console's last line, the answer a reader came for: whether anything runs, and what is stale.</summary>
    public string Answer
    {
        get
        {
            if (Runs.Count == 0) return $"Status: nothing runs: {LockDir} holds no lock file and no reservation";
            var live = Runs.Where(r => r.State == RunState.Live).ToList();
            var stale = Runs.Count - live.Count;
            var staleWords = stale == 0 ? "" : $"{stale} stale entr{(stale == 1 ? "y" : "ies")} in {LockDir} (the janitor clears them)";
            return live.Count == 0
                ? $"Status: nothing runs; {staleWords}"
                : $"Status: {live.Count} run(s) alive: {string.Join(", ", live.Select(r => $"{r.Recipe ?? r.Domain} ({(r.Target is null ? "" : r.Target + ", ")}{r.Stage ?? "no stage yet"})"))}" +
                  (stale == 0 ? "" : "; " + staleWords);
        }
    }

    /// <summary>The console's table: a header row, then one row per entry, live first; none when nothing is there.</summary>
    public IEnumerable<string> Lines()
    {
        if (Runs.Count == 0) return [];
        var table = new TextTable(10).Row("STATE", "RECIPE", "RUN", "TARGET", "STAGE", "SINCE", "PID", "DOMAIN", "RESERVED", "NOTE");
        foreach (var e in Runs.OrderBy(e => e.State))
            table.Row(e.State.Word(), e.Recipe, e.RunId, e.Target, e.Stage,
                e.Since is { } since ? $"{since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({Ago(At - since)})" : null,
                e.Pid is { } pid ? $"{pid} {(e.PidAlive == true ? "alive" : "dead")}" : null,
                e.Domain,
                e.Reserved is { } r ? $"{r.MemoryMb} MB mem, {r.DiskMb} MB disk" : null,
                e.Note);
        return table.Lines();
    }

    /// <summary>A duration at a glance: <c>4m05s</c>, <c>1h02m</c>; never negative.</summary>
    public static string Ago(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : $"{Math.Max(0, (int)span.TotalMinutes)}m{Math.Max(0, span.Seconds):00}s";
}

/// <summary>
/// Reads a lock folder for the runs alive now: each lock file's record, whether the kernel grants a
/// flock on its inode (<see cref="ProcLocks"/>), the record's pid, the reservation of its domain and
/// the newest stage of its run folder. Reads only: it never takes a lock, and a file, record or
/// folder that is gone or unreadable becomes a note on its row, not an error.
/// </summary>
public static partial class RunStatus
{
    [GeneratedRegex(@"^(\d+)-([A-Za-z]+)$")]
    private static partial Regex StageFolder();

    /// <param name="procLocks">The text of <see cref="ProcLocks.Path"/>.</param>
    /// <param name="alive">Whether a pid names a live process.</param>
    public static StatusReport Read(string lockDir, string procLocks, Func<int, bool> alive, DateTimeOffset at)
    {
        var held = ProcLocks.Parse(procLocks);
        var reservations = Reservations(lockDir);
        var runs = new List<StatusEntry>();
        foreach (var file in AppDomainLock.FilesIn(lockDir))
        {
            // Gone since it was listed: its run ended, or the janitor reaped it.
            if (FileIdentity.Of(file) is not { } identity) continue;
            var domain = AppDomainLock.DomainOf(file);
            var state = held.Holds(identity) ? RunState.Live : RunState.Stale;
            var (reserved, reservationNote) = reservations.Remove(domain, out var r) ? r : (null, null);
            var (record, recordNote) = ReadRecord(file);
            var (stage, since, runNote) = record is null ? (null, null, null) : Progress(record.RunDirectory, record.StartedAt);
            runs.Add(new StatusEntry(state, domain, record?.Recipe, record?.RunId, record?.Target, stage, since, record?.Pid,
                record is null ? null : alive(record.Pid), reserved, Notes(recordNote, runNote, reservationNote), file, record?.RunDirectory));
        }
        // A reservation outlives its lock file only when its run died between the two: nobody will release it.
        foreach (var (domain, (reserved, note)) in reservations)
            runs.Add(new StatusEntry(RunState.Stale, domain, null, null, null, null, null, null, null, reserved,
                Notes("a reservation without a lock file", note), null, null));
        return new StatusReport { LockDir = Path.GetFullPath(lockDir), At = at, Runs = [.. runs.OrderBy(e => e.Domain, StringComparer.Ordinal)] };
    }

    private static string? Notes(params string?[] notes) =>
        notes.Where(n => n is not null).ToList() is { Count: > 0 } some ? string.Join("; ", some) : null;

    private static (LockRecord? Record, string? Note) ReadRecord(string file)
    {
        string text;
        try
        {
            text = AppDomainLock.Peek(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"lock file unreadable: {ex.Message}");
        }
        if (string.IsNullOrWhiteSpace(text)) return (null, "no record: its run is starting, or died before writing one");
        return LockRecord.Parse(text) is { } record ? (record, null) : (null, "record unreadable");
    }

    private static Dictionary<string, (ReservedShare? Share, string? Note)> Reservations(string lockDir)
    {
        var book = new ReservationBook(lockDir);
        if (!Directory.Exists(book.Folder)) return [];
        return Directory.EnumerateFiles(book.Folder, "*.json").ToDictionary(file => Path.GetFileNameWithoutExtension(file), file =>
        {
            try
            {
                var reservation = JsonConvention.Read<Reservation>(file);
                return ((ReservedShare?)new ReservedShare(reservation.MemoryMb, reservation.DiskMb), (string?)null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                return (null, $"reservation unreadable: {ex.Message}");
            }
        });
    }

    /// <summary>
    /// The run's newest stage folder and since when: a stage results.json does not list yet is under
    /// way since the last listed one ended (or the run started at <paramref name="startedAt"/>); a
    /// listed one has ended, and the run is between stages since then. Reads only the run folder.
    /// </summary>
    public static (string? Stage, DateTimeOffset? Since, string? Note) Progress(string runDirectory, DateTimeOffset startedAt)
    {
        if (!Directory.Exists(runDirectory)) return (null, null, $"run folder gone: {runDirectory}");
        var newest = Directory.EnumerateDirectories(runDirectory)
            .Select(d => StageFolder().Match(Path.GetFileName(d)))
            .Where(m => m.Success)
            .MaxBy(m => int.Parse(m.Groups[1].Value));
        var stages = ListedStages(runDirectory);
        var lastEnd = stages.Count == 0 ? startedAt : stages.Max(s => s.StartedAt + TimeSpan.FromSeconds(s.DurationS));
        if (newest is null) return (null, startedAt, null);
        var name = newest.Groups[2].Value;
        return stages.Any(s => s.Folder == newest.Value) ? ($"after {name}", lastEnd, null) : (name, lastEnd, null);
    }

    /// <summary>The stages results.json lists; none while the first stage runs, or while it cannot be read.</summary>
    private static List<StageResult> ListedStages(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunResult.FileName);
        try
        {
            return File.Exists(path) ? RunResult.Read(path).Stages : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            return [];
        }
    }
}
