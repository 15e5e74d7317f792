namespace RecipeCi.Machine;

/// <summary>What the machine had free, in MiB, at one look.</summary>
public sealed record HostResources(long MemoryAvailableMb, long MemoryTotalMb, long DiskFreeMb, long DiskTotalMb, string DiskPath)
{
    /// <summary>Held back by other admitted runs whose first deploy has not converged yet (see <c>ReservationBook</c>).</summary>
    public long MemoryReservedMb { get; init; }
    public long DiskReservedMb { get; init; }
}

/// <summary>How a run was admitted (or not) against the memory and disk its recipe needs; in results.json.</summary>
public sealed class AdmissionResult
{
    public int? MemoryMb { get; init; }
    public int? DiskMb { get; init; }
    public bool Admitted { get; set; }
    /// <summary>When the first look was taken; the run waited from then for <see cref="WaitedS"/>.</summary>
    public DateTimeOffset StartedAt { get; init; }
    public double WaitedS { get; set; }
    /// <summary>What was short at some look while waiting, <c>memory</c> and/or <c>disk</c> (empty: admitted at the first look).</summary>
    public List<string> Short { get; init; } = [];
    public HostResources? Host { get; set; }
    public string? Reason { get; set; }
}
