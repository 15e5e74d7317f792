using Newtonsoft.Json;
using RecipeCi.Files;

namespace RecipeCi.Locks;

/// <summary>
/// Who holds an app-domain lock, written into the lock file while it is held. It lives in the lock
/// folder, not in the run's artifacts, so a janitor still knows the stack, the abra dir and the
/// driver of a dead run whose workspace is gone.
/// </summary>
public sealed record LockRecord(
    string RunId,
    int Pid,
    string Recipe,
    string Domain,
    string Stack,
    string Server,
    string Driver,
    string RunDirectory,
    string AbraDir,
    DateTimeOffset StartedAt)
{
    /// <summary>The target the run serves (Recipe, Install, ...); absent from the records of older runs.</summary>
    public string? Target { get; init; }

    /// <summary>A lock file's text as a record, or null when it holds none (its run died before writing one, or is writing it).</summary>
    public static LockRecord? Parse(string text)
    {
        try
        {
            return JsonConvert.DeserializeObject<LockRecord>(text, JsonConvention.Settings);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
