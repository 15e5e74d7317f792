using RecipeCi.Machine;
using RecipeCi.Locks;
using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

public sealed class AdmissionTests : IDisposable
{
    private readonly string _lockDir = Directory.CreateTempSubdirectory("recipe-ci-reservations-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_lockDir, recursive: true); } catch (IOException) { }
    }

    private ReservationClaim Claim(ReservationBook book, string domain, int memoryMb) =>
        new(book, new Reservation("run-" + domain, Environment.ProcessId, domain, memoryMb, 0, DateTimeOffset.UtcNow));

    [Fact]
    public async Task A_run_admitted_beside_another_is_compared_with_free_minus_what_the_other_reserved()
    {
        var book = new ReservationBook(_lockDir);
        var said = new List<string>();
        Task<AdmissionResult> Admit(string domain, TimeSpan budget) => ResourceAdmission.WaitAsync(new ResourceNeeds(400, null), () => Host(600, 5000), budget, TimeProvider.System,
            said.Add, CancellationToken.None, poll: TimeSpan.FromMilliseconds(10), progressEvery: TimeSpan.Zero, claim: Claim(book, domain, 400));

        // 600 MB free at one instant: enough for either run, not for both.
        var first = await Admit("swa-000001.ci.local", TimeSpan.FromSeconds(5));
        Assert.True(first.Admitted);
        Assert.True(File.Exists(book.PathFor("swa-000001.ci.local")));
        var second = await Admit("swb-000002.ci.local", TimeSpan.FromMilliseconds(100));
        Assert.False(second.Admitted, "admitted beside a reservation it does not fit next to: the machine would be overcommitted");
        Assert.Equal(400, second.Host!.MemoryReservedMb);
        Assert.Contains("memory: needs 400 MB, 600 MB available, 400 MB of it reserved by other admitted runs", second.Reason);
        Assert.False(File.Exists(book.PathFor("swb-000002.ci.local")));

        // Once the first deploy converged (or the run ended) the reservation goes, and the second fits.
        Assert.True(book.Release("swa-000001.ci.local"));
        Assert.True((await Admit("swb-000002.ci.local", TimeSpan.FromSeconds(5))).Admitted);
        Assert.Equal(0, (await Admit("swb-000002.ci.local", TimeSpan.FromSeconds(5))).Host!.MemoryReservedMb);   // its own is not counted against it
    }

    [Fact]
    public async Task The_janitor_clears_reservations_whose_run_is_dead_and_keeps_a_live_runs()
    {
        var book = new ReservationBook(_lockDir);
        const string live = "swl-000001.ci.local", dead = "swd-000002.ci.local", unlocked = "swu-000003.ci.local";
        using var holder = AppDomainLock.TryAcquire(_lockDir, live)!;
        AppDomainLock.TryAcquire(_lockDir, dead)!.Dispose();   // its run died: the file stays, its flock is free
        foreach (var domain in new[] { live, dead, unlocked })
            Assert.True((await ResourceAdmission.WaitAsync(new ResourceNeeds(1, null), () => Host(4000, 5000), TimeSpan.FromSeconds(5), TimeProvider.System, _ => { },
                CancellationToken.None, claim: Claim(book, domain, 1))).Admitted);

        Assert.Equal([dead, unlocked], book.ClearDead().Order(StringComparer.Ordinal));
        Assert.True(File.Exists(book.PathFor(live)));
        Assert.False(File.Exists(book.PathFor(dead)));
    }

    private static HostResources Host(long memFree, long diskFree) => new(memFree, 4096, diskFree, 10240, "/var/lib/docker");

    [Fact]
    public void Meminfo_gives_available_and_total_in_mib()
    {
        var (available, total) = ResourceAdmission.ParseMeminfo("MemTotal:       24683520 kB\nMemFree:        23717004 kB\nMemAvailable:   24209408 kB\n");
        Assert.Equal((23642L, 24105L), (available, total));
        Assert.Throws<InvalidDataException>(() => ResourceAdmission.ParseMeminfo("MemTotal: 1 kB\n"));
    }

    [Fact]
    public async Task Waits_while_short_and_records_what_was_short()
    {
        var looks = new Queue<HostResources>([Host(100, 5000), Host(300, 50), Host(600, 5000)]);
        var said = new List<string>();
        var before = DateTimeOffset.UtcNow;
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(512, 1000), () => looks.Dequeue(), TimeSpan.FromMinutes(1), TimeProvider.System, said.Add,
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10), progressEvery: TimeSpan.Zero);
        Assert.True(r.Admitted);
        Assert.Equal(["memory", "disk"], r.Short);
        // When the wait began, so that the wait can be placed on the run's timeline (HarnessOverhead).
        Assert.InRange(r.StartedAt, before, DateTimeOffset.UtcNow.AddSeconds(-r.WaitedS));
        Assert.Equal(600, r.Host!.MemoryAvailableMb);
        Assert.Contains(said, s => s.Contains("memory: needs 512 MB, 100 MB available"));
        Assert.Contains(said, s => s.Contains("disk: needs 1000 MB, 50 MB free under /var/lib/docker"));
    }

    [Fact]
    public async Task Needs_beyond_the_machine_are_refused_at_once()
    {
        var looks = 0;
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(8192, null), () => { looks++; return Host(4000, 5000); }, TimeSpan.FromMinutes(1), TimeProvider.System, _ => { },
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10));
        Assert.False(r.Admitted);
        Assert.Equal(1, looks);
        Assert.Contains("never admissible on this machine: memory: needs 8192 MB, the machine has 4096 MB in all", r.Reason);
        Assert.Contains("Fix:", r.Reason);
    }

    [Fact]
    public async Task The_wait_is_bounded()
    {
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(null, 6000), () => Host(4000, 5000), TimeSpan.FromMilliseconds(50), TimeProvider.System, _ => { },
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10));
        Assert.False(r.Admitted);
        Assert.StartsWith("not admitted after", r.Reason);
        Assert.Contains("disk: needs 6000 MB, 5000 MB free", r.Reason);
        Assert.Equal(["disk"], r.Short);
    }
}
