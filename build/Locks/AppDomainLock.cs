using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using RecipeCi.Files;
using RecipeCi.Processes;

namespace RecipeCi.Locks;

/// <summary>flock has no effect where the lock files live, so no lock would exclude anything.</summary>
public sealed class LockUnsupportedException(string message) : Exception(message);

/// <summary>
/// An exclusive lock per app domain, held for a whole run: two runs of the same (recipe, pr, ref)
/// share a domain and so a stack, and must not interleave deploys. The lock is an advisory
/// <c>flock</c> (what .NET takes for <see cref="FileShare.None"/> on Unix), so the kernel releases
/// it when the holder dies, however it dies: a lock that can be taken means its run is gone.
/// While held, the file names the run (<see cref="LockRecord"/>), so a janitor that later takes
/// it knows what the dead run left.
/// </summary>
public sealed class AppDomainLock : IDisposable
{
    private const string Prefix = "recipe-ci-";
    private const string Extension = ".lock";
    private FileStream? _stream;

    public string Path { get; }
    public TimeSpan Waited { get; private set; }

    private AppDomainLock(string path, FileStream stream) => (Path, _stream) = (path, stream);

    public static string PathFor(string lockDir, string domain) => System.IO.Path.Combine(lockDir, $"{Prefix}{domain}{Extension}");

    /// <summary>The lock files of a lock folder (none when the folder does not exist).</summary>
    public static IEnumerable<string> FilesIn(string lockDir) =>
        Directory.Exists(lockDir) ? Directory.EnumerateFileSystemEntries(lockDir, $"{Prefix}*{Extension}").Order(StringComparer.Ordinal) : [];

    public static string DomainOf(string lockFile)
    {
        var name = System.IO.Path.GetFileName(lockFile);
        return name[Prefix.Length..^Extension.Length];
    }

    /// <summary>Takes the lock now, or returns null when another live process holds it.</summary>
    public static AppDomainLock? TryAcquire(string lockDir, string domain)
    {
        Directory.CreateDirectory(lockDir);
        return TryTake(PathFor(lockDir, domain), FileMode.OpenOrCreate);
    }

    /// <summary>
    /// Takes an existing lock file (the janitor's probe), or returns null when it is held or gone.
    /// Never creates one.
    /// </summary>
    public static AppDomainLock? TryTakeExisting(string path) => TryTake(path, FileMode.Open);

    private static AppDomainLock? TryTake(string path, FileMode mode)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null; // held by another process (EWOULDBLOCK), or gone (FileMode.Open)
        }
        // Between our open and our flock the holder may have unlinked the file (a janitor does, and
        // so does a run that ended clean) and another run may have created and locked a new one at
        // the same path. Our flock then guards a dead inode, so it only counts if the path still
        // leads to the very file we locked.
        if (FileIdentity.Of(stream.SafeFileHandle) != FileIdentity.Of(path))
        {
            stream.Dispose();
            return null;
        }
        EnsureExcludes(path, stream);
        return new AppDomainLock(path, stream);
    }

    /// <summary>
    /// .NET silently skips the flock where it is unsupported (NFS, some FUSE mounts) or disabled
    /// (DOTNET_SYSTEM_IO_DISABLEFILELOCKING); a second exclusive open must therefore fail while we hold it.
    /// </summary>
    private static void EnsureExcludes(string path, FileStream held)
    {
        try
        {
            using var second = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (IOException)
        {
            return;
        }
        held.Dispose();
        throw new LockUnsupportedException(
            $"flock does not exclude on {System.IO.Path.GetDirectoryName(path)} (a network filesystem, or DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set). " +
            "Fix: pass --lock-dir=<a folder on a local filesystem> (default /run/lock/recipe-ci) and unset DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
    }

    /// <summary>Waits for the lock, saying so every <paramref name="progressEvery"/>; gives up at the budget.</summary>
    public static async Task<AppDomainLock> AcquireAsync(string lockDir, string domain, TimeSpan budget, TimeProvider time, Action<string> progress,
        CancellationToken ct, TimeSpan? progressEvery = null)
    {
        var started = time.GetTimestamp();
        var plan = new PollPlan(TimeSpan.FromMilliseconds(250), budget) { ProgressEvery = progressEvery ?? TimeSpan.FromSeconds(15), SayAtOnce = true };
        var taken = await Poll.UntilAsync(plan, time, () => Task.FromResult(TryAcquire(lockDir, domain)),
            waited => progress($"app domain {domain} is locked by another run ({PathFor(lockDir, domain)}); waiting ({waited.TotalSeconds:0}s so far)"), ct)
            ?? throw new TimeoutException($"app domain {domain} stayed locked by another run for {time.GetElapsedTime(started).TotalSeconds:0}s ({PathFor(lockDir, domain)})");
        taken.Waited = time.GetElapsedTime(started);
        return taken;
    }

    /// <summary>Writes who holds the lock into the lock file (replacing what a previous holder wrote).</summary>
    public void Record(LockRecord record)
    {
        var stream = _stream ?? throw new ObjectDisposedException(Path);
        var bytes = System.Text.Encoding.UTF8.GetBytes(JsonConvention.Serialize(record));
        stream.SetLength(0);
        stream.Position = 0;
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>What the last holder wrote, or null when it wrote nothing readable (it died first).</summary>
    public LockRecord? ReadRecord()
    {
        var stream = _stream ?? throw new ObjectDisposedException(Path);
        stream.Position = 0;
        return LockRecord.Parse(new StreamReader(stream, leaveOpen: true).ReadToEnd());
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    /// <summary>O_RDONLY | O_CLOEXEC (the same value on x86_64 and aarch64).</summary>
    private const int ReadOnly = 0x80000;

    /// <summary>
    /// What a lock file holds, read without any flock: every open of .NET's own takes one (shared
    /// unless exclusive), so an onlooker reading with File.ReadAllText would fail on a held lock and,
    /// on a free one, make a run taking it at that moment find it held. libc's open takes none.
    /// </summary>
    public static string Peek(string path)
    {
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 2 ? new FileNotFoundException($"{path} is gone", path) : new IOException($"cannot open {path}: errno {errno}");
        }
        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>
    /// Releases the lock; with <paramref name="unlink"/> the file goes first, while still held, so
    /// that nobody can take the lock of a file that no longer names the domain (see the inode check).
    /// </summary>
    public void Release(bool unlink)
    {
        if (_stream is null) return;
        if (unlink) File.Delete(Path);
        _stream.Dispose();
        _stream = null;
    }

    public void Dispose() => Release(unlink: false);
}
