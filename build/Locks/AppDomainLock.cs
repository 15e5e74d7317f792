namespace RecipeCi.Locks;

/// <summary>
/// An exclusive lock per app domain, held for a whole run: two runs of the same (recipe, pr, ref)
/// share a domain and so a stack, and must not interleave deploys. The lock is an advisory
/// <c>flock</c> (what .NET takes for <see cref="FileShare.None"/> on Unix), so the kernel releases
/// it when the holder dies, however it dies: a lock that can be taken means its run is gone.
/// </summary>
public sealed class AppDomainLock : IDisposable
{
    private FileStream? _stream;

    public string Path { get; }
    public TimeSpan Waited { get; private set; }

    private AppDomainLock(string path, FileStream stream) => (Path, _stream) = (path, stream);

    public static string PathFor(string lockDir, string domain) => System.IO.Path.Combine(lockDir, $"recipe-ci-{domain}.lock");

    /// <summary>Takes the lock now, or returns null when another live process holds it.</summary>
    public static AppDomainLock? TryAcquire(string lockDir, string domain)
    {
        Directory.CreateDirectory(lockDir);
        var path = PathFor(lockDir, domain);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var note = System.Text.Encoding.UTF8.GetBytes($"pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:O}\n");
            stream.Write(note);
            stream.Flush();
            return new AppDomainLock(path, stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits for the lock, saying so every <paramref name="progressEvery"/>; gives up at the budget.</summary>
    public static async Task<AppDomainLock> AcquireAsync(string lockDir, string domain, TimeSpan budget, Action<string> progress,
        CancellationToken ct, TimeSpan? progressEvery = null)
    {
        var started = DateTimeOffset.UtcNow;
        var lastSaid = started;
        var every = progressEvery ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            if (TryAcquire(lockDir, domain) is { } taken)
            {
                taken.Waited = DateTimeOffset.UtcNow - started;
                return taken;
            }
            var waited = DateTimeOffset.UtcNow - started;
            if (waited >= budget)
                throw new TimeoutException($"app domain {domain} stayed locked by another run for {waited.TotalSeconds:0}s ({PathFor(lockDir, domain)})");
            if (DateTimeOffset.UtcNow - lastSaid >= every || waited < TimeSpan.FromMilliseconds(300) && lastSaid == started)
            {
                lastSaid = DateTimeOffset.UtcNow;
                progress($"app domain {domain} is locked by another run ({PathFor(lockDir, domain)}); waiting ({waited.TotalSeconds:0}s so far)");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
