using RecipeCi.Processes;
using RecipeCi.Recipes;

namespace RecipeCi.Machine;

/// <summary>
/// Admission by resources: a run deploys only when the machine has the memory (MemAvailable) and
/// the disk (free space under docker's root) its recipe declares, and waits, bounded, until it
/// does. With a <see cref="ReservationClaim"/> it compares with what is free minus what other
/// admitted runs reserved, and reserves its own needs in the same step; needs beyond the machine's
/// total are an error at once. The machine is read through the probe it is given
/// (<see cref="HostResourceProbe"/> on a real run), the clock through its TimeProvider.
/// </summary>
public static class ResourceAdmission
{
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(30);

    /// <summary>MemAvailable and MemTotal, in MiB.</summary>
    public static (long AvailableMb, long TotalMb) ParseMeminfo(string meminfo)
    {
        long Field(string name) =>
            meminfo.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim() == name)
                .Select(p => long.Parse(p[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024)
                .Cast<long?>().FirstOrDefault()
            ?? throw new InvalidDataException($"/proc/meminfo has no {name} line");
        return (Field("MemAvailable"), Field("MemTotal"));
    }

    /// <summary>Needs no wait can satisfy: more than the machine has in all.</summary>
    public static List<string> NeverFits(ResourceNeeds needs, HostResources host)
    {
        var problems = new List<string>();
        if (needs.MemoryMb > host.MemoryTotalMb) problems.Add($"memory: needs {needs.MemoryMb} MB, the machine has {host.MemoryTotalMb} MB in all");
        if (needs.DiskMb > host.DiskTotalMb) problems.Add($"disk: needs {needs.DiskMb} MB, {host.DiskPath} holds {host.DiskTotalMb} MB in all");
        return problems;
    }

    /// <summary>Needs not met now.</summary>
    public static List<string> Shortfalls(ResourceNeeds needs, HostResources host)
    {
        var problems = new List<string>();
        if (needs.MemoryMb > host.MemoryAvailableMb - host.MemoryReservedMb)
            problems.Add($"memory: needs {needs.MemoryMb} MB, {host.MemoryAvailableMb} MB available{Reserved(host.MemoryReservedMb)}");
        if (needs.DiskMb > host.DiskFreeMb - host.DiskReservedMb)
            problems.Add($"disk: needs {needs.DiskMb} MB, {host.DiskFreeMb} MB free under {host.DiskPath}{Reserved(host.DiskReservedMb)}");
        return problems;
    }

    private static string Reserved(long mb) => mb == 0 ? "" : $", {mb} MB of it reserved by other admitted runs";

    /// <summary>
    /// Looks every <paramref name="poll"/> until the needs fit or the budget is spent, saying what is
    /// short; with a <paramref name="claim"/>, beside the others' reservations, reserving on admission.
    /// </summary>
    public static async Task<AdmissionResult> WaitAsync(ResourceNeeds needs, Func<HostResources> probe, TimeSpan budget, TimeProvider time, Action<string> progress,
        CancellationToken ct, TimeSpan? poll = null, TimeSpan? progressEvery = null, ReservationClaim? claim = null)
    {
        var started = time.GetUtcNow();
        var result = new AdmissionResult { MemoryMb = needs.MemoryMb, DiskMb = needs.DiskMb, StartedAt = started };
        List<string> shortNow = [];
        var plan = new PollPlan(poll ?? TimeSpan.FromSeconds(5), budget) { ProgressEvery = progressEvery ?? TimeSpan.FromSeconds(15), SayAtOnce = true };
        AdmissionResult? Look(long reservedMemory, long reservedDisk)
        {
            var host = probe() with { MemoryReservedMb = reservedMemory, DiskReservedMb = reservedDisk };
            result.Host = host;
            result.WaitedS = Math.Round((time.GetUtcNow() - started).TotalSeconds, 3);
            if (NeverFits(needs, host) is { Count: > 0 } never)
            {
                result.Reason = $"never admissible on this machine: {string.Join("; ", never)}. Fix: lower recipes.yaml needs or run on a bigger machine";
                return result;
            }
            shortNow = Shortfalls(needs, host);
            result.Admitted = shortNow.Count == 0;
            foreach (var kind in shortNow.Select(s => s.Split(':')[0]).Where(k => !result.Short.Contains(k))) result.Short.Add(kind);
            return result.Admitted ? result : null;
        }
        var decided = await Poll.UntilAsync(plan, time, () => Task.FromResult(claim is null ? Look(0, 0) : claim.Look(Look, r => r is { Admitted: true })), _ => progress($"waiting for resources ({result.WaitedS:0}s so far): {string.Join("; ", shortNow)}"), ct);
        if (decided is null) result.Reason = $"not admitted after {result.WaitedS:0}s: {string.Join("; ", shortNow)}";
        return result;
    }
}
