using RecipeCi.Locks;

namespace RecipeCi.Tests.Unit;

/// <summary>The app-domain lock on real files: flock locks belong to open files, so two opens in one process exclude each other.</summary>
public sealed class LockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-locks-").FullName;

    [Fact]
    public void A_held_lock_cannot_be_taken_and_is_free_once_released()
    {
        using var first = AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local");
        Assert.NotNull(first);
        Assert.Null(AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local"));
        Assert.Null(AppDomainLock.TryTakeExisting(first.Path));
        first.Release(unlink: false);
        using var second = AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local");
        Assert.NotNull(second);
    }

    [Fact]
    public void The_record_survives_the_holder_and_is_read_by_the_next_taker()
    {
        var record = new LockRecord("run-1", 4242, "hello", "hell-0a1b2c.ci.local", "hell-0a1b2c_ci_local", "local", "local",
            "/tmp/run", "/tmp/run/abra", DateTimeOffset.Parse("2026-01-02T03:04:05Z"));
        using (var holder = AppDomainLock.TryAcquire(_dir, record.Domain)!) holder.Record(record);
        using var next = AppDomainLock.TryTakeExisting(AppDomainLock.PathFor(_dir, record.Domain));
        Assert.Equal(record, next!.ReadRecord());
    }

    [Fact]
    public void Unlinking_on_release_removes_the_file_and_probes_never_create_one()
    {
        var path = AppDomainLock.PathFor(_dir, "abcd-123456.ci.local");
        AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local")!.Release(unlink: true);
        Assert.False(File.Exists(path));
        Assert.Null(AppDomainLock.TryTakeExisting(path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void File_identity_tells_a_recreated_file_from_the_one_that_was_locked()
    {
        var path = Path.Combine(_dir, "x.lock");
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        Assert.Equal(FileIdentity.Of(stream.SafeFileHandle), FileIdentity.Of(path));
        File.Delete(path);
        Assert.Null(FileIdentity.Of(path));
        File.WriteAllText(path, "");
        Assert.NotEqual(FileIdentity.Of(stream.SafeFileHandle), FileIdentity.Of(path));
    }

    [Fact]
    public async Task A_waiter_says_it_waits_and_takes_the_lock_once_freed()
    {
        var holder = AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local")!;
        var said = new List<string>();
        var waiting = AppDomainLock.AcquireAsync(_dir, "abcd-123456.ci.local", TimeSpan.FromMinutes(1), TimeProvider.System, m => { lock (said) said.Add(m); },
            CancellationToken.None, TimeSpan.FromMilliseconds(100));
        await Task.Delay(600);
        Assert.False(waiting.IsCompleted);
        holder.Release(unlink: true);   // as the janitor and clean runs do: the waiter must lock the new file, not the unlinked one
        using var taken = await waiting;
        Assert.Contains(said, m => m.Contains("is locked by another run"));
        Assert.True(File.Exists(taken.Path));
        Assert.Null(AppDomainLock.TryAcquire(_dir, "abcd-123456.ci.local"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
