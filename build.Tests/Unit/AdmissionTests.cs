using RecipeCi.Evidence;
using RecipeCi.Machine;
using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

public sealed class AdmissionTests
{
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
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(512, 1000), () => looks.Dequeue(), TimeSpan.FromMinutes(1), said.Add,
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10), progressEvery: TimeSpan.Zero);
        Assert.True(r.Admitted);
        Assert.Equal(["memory", "disk"], r.Short);
        Assert.Equal(600, r.Host!.MemoryAvailableMb);
        Assert.Contains(said, s => s.Contains("memory: needs 512 MB, 100 MB available"));
        Assert.Contains(said, s => s.Contains("disk: needs 1000 MB, 50 MB free under /var/lib/docker"));
    }

    [Fact]
    public async Task Needs_beyond_the_machine_are_refused_at_once()
    {
        var looks = 0;
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(8192, null), () => { looks++; return Host(4000, 5000); }, TimeSpan.FromMinutes(1), _ => { },
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10));
        Assert.False(r.Admitted);
        Assert.Equal(1, looks);
        Assert.Contains("never admissible on this machine: memory: needs 8192 MB, the machine has 4096 MB in all", r.Reason);
        Assert.Contains("Fix:", r.Reason);
    }

    [Fact]
    public async Task The_wait_is_bounded()
    {
        var r = await ResourceAdmission.WaitAsync(new ResourceNeeds(null, 6000), () => Host(4000, 5000), TimeSpan.FromMilliseconds(50), _ => { },
            CancellationToken.None, poll: TimeSpan.FromMilliseconds(10));
        Assert.False(r.Admitted);
        Assert.StartsWith("not admitted after", r.Reason);
        Assert.Contains("disk: needs 6000 MB, 5000 MB free", r.Reason);
        Assert.Equal(["disk"], r.Short);
    }
}
