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
    DateTimeOffset StartedAt);
