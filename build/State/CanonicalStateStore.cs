using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.State;

/// <summary>A recipe's last green cold run on a published release: what the next sweep compares with.</summary>
public sealed record CanonicalRecord(string Recipe, string Version, string Commit, string RunId, int Level, DateTimeOffset At)
{
    /// <summary>What that run ran with; absent in records written before it was recorded.</summary>
    public RunEnvironment? Environment { get; init; }
}

/// <summary>How a recipe ended in the last sweep that ran it: the base of "newly failing / newly passing".</summary>
public sealed record LastOutcome(string Recipe, string SweepId, Verdict Verdict, string? Version, DateTimeOffset At)
{
    /// <summary>Set when isolation re-runs classified a red verdict; a flaky one passed alone.</summary>
    public Classification? Classification { get; init; }
}

/// <summary>
/// The state folder (<c>--state-dir</c>): <c>canonical/&lt;recipe&gt;.json</c>,
/// <c>last-sweep/&lt;recipe&gt;.json</c> and <c>history/&lt;recipe&gt;.json</c>, one file per recipe
/// so that shards on separate runners sharing the folder never write the same file. Every write is
/// atomic (temp file, then rename).
/// </summary>
public sealed class CanonicalStateStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string CanonicalPath(string recipe) => Path.Combine(Directory, "canonical", recipe + ".json");
    public string LastOutcomePath(string recipe) => Path.Combine(Directory, "last-sweep", recipe + ".json");
    public string HistoryPath(string recipe) => Path.Combine(Directory, "history", recipe + ".json");

    public CanonicalRecord? ReadCanonical(string recipe) => Read<CanonicalRecord>(CanonicalPath(recipe));
    /// <summary>The record on disk, or null when there is none or it is unreadable (for reports after a failed write).</summary>
    public CanonicalRecord? TryReadCanonical(string recipe) => OrNull(() => ReadCanonical(recipe));

    public LastOutcome? ReadLastOutcome(string recipe) => Read<LastOutcome>(LastOutcomePath(recipe));
    public LastOutcome? TryReadLastOutcome(string recipe) => OrNull(() => ReadLastOutcome(recipe));

    public SweepHistory ReadHistory(string recipe) =>
        Read<SweepHistory>(HistoryPath(recipe), "repair it, or delete it to start the recipe's history afresh") ?? new SweepHistory(recipe, []);
    /// <summary>The history on disk, or none when it is unreadable (a report still shows the rest).</summary>
    public SweepHistory TryReadHistory(string recipe) => OrNull(() => ReadHistory(recipe)) ?? new SweepHistory(recipe, []);

    /// <summary>Writes the record, then reads it back: the caller reports what is on disk, not what it meant to write.</summary>
    public CanonicalRecord WriteCanonical(CanonicalRecord record)
    {
        var path = CanonicalPath(record.Recipe);
        WriteAtomically(path, record);
        return ReadCanonical(record.Recipe) is { } written && written == record
            ? written
            : throw new IOException($"{path} does not hold the record just written");
    }

    public void WriteLastOutcome(LastOutcome outcome) => WriteAtomically(LastOutcomePath(outcome.Recipe), outcome);

    /// <summary>
    /// Reads the recipe's history, adds the sweep's entry (or replaces the one this sweep wrote) and
    /// writes it back atomically. Only the sweep running the recipe writes its file, so nothing
    /// else writes between the read and the rename.
    /// </summary>
    public SweepHistory RecordInHistory(string recipe, SweepHistoryEntry entry)
    {
        var history = ReadHistory(recipe).With(entry);
        WriteAtomically(HistoryPath(recipe), history);
        return history;
    }

    private static T? Read<T>(string path, string fix = "delete the file; the next green run on a release writes it again") where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonConvention.Read<T>(path);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid state record ({ex.Message}). Fix: {fix}", ex);
        }
    }

    private static T? OrNull<T>(Func<T?> read) where T : class
    {
        try { return read(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException) { return null; }
    }

    private static void WriteAtomically(string path, object value) =>
        ArtifactWriter.NoSecrets.WriteJson(path, value);
}
