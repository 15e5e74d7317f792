using RecipeCi.Files;
using RecipeCi.Locks;

namespace RecipeCi.Machine;

/// <summary>What an admitted run holds back for itself until its first deploy converged.</summary>
public sealed record Reservation(string RunId, int Pid, string Domain, int MemoryMb, int DiskMb, DateTimeOffset At);

/// <summary>
/// The reservations of admitted runs: one file per app domain in <c>&lt;lock-dir&gt;/reservations/</c>,
/// read and changed only under an exclusive flock of <c>&lt;lock-dir&gt;/reservations.lock</c>, so that
/// "does it fit beside what others reserved?" and "reserve it" are one step for every run of the
/// machine. A run reserves only while it holds its app-domain lock; a reservation whose domain lock
/// is free belongs to a dead run, and the janitor clears it.
/// </summary>
public sealed class ReservationBook(string lockDir)
{
    private static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(20);

    public string Folder => Path.Combine(lockDir, "reservations");
    private string GatePath => Path.Combine(lockDir, "reservations.lock");
    public string PathFor(string domain) => Path.Combine(Folder, domain + ".json");

    /// <summary>Runs <paramref name="body"/> holding the book's flock (waiting for it: holders only read and write small files).</summary>
    public T Locked<T>(Func<T> body)
    {
        Directory.CreateDirectory(Folder);
        while (true)
        {
            FileStream gate;
            try
            {
                gate = new FileStream(GatePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                Thread.Sleep(Nap);
                continue;
            }
            using (gate) return body();
        }
    }

    /// <summary>Every reservation on file but <paramref name="exceptDomain"/>'s (the caller's own, from an earlier attempt). Call under <see cref="Locked"/>.</summary>
    public List<Reservation> Others(string? exceptDomain) =>
        Directory.EnumerateFiles(Folder, "*.json")
            .Where(f => Path.GetFileNameWithoutExtension(f) != exceptDomain)
            .Select(f => JsonConvention.Read<Reservation>(f)).ToList();

    /// <summary>Call under <see cref="Locked"/>.</summary>
    public void Write(Reservation reservation) => ArtifactWriter.NoSecrets.WriteJson(PathFor(reservation.Domain), reservation);

    /// <summary>Gives the domain's reservation back; true when there was one.</summary>
    public bool Release(string domain) => Locked(() =>
    {
        if (!File.Exists(PathFor(domain))) return false;
        File.Delete(PathFor(domain));
        return true;
    });

    /// <summary>Removes the reservations of dead runs (their app-domain lock is free); returns their domains.</summary>
    public List<string> ClearDead() => Locked(() =>
    {
        var cleared = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json"))
        {
            var domain = Path.GetFileNameWithoutExtension(file);
            var lockFile = AppDomainLock.PathFor(lockDir, domain);
            using var probe = File.Exists(lockFile) ? AppDomainLock.TryTakeExisting(lockFile) : null;
            // Held: a live run (it reserved under that lock). Free or gone: nobody will release it.
            if (File.Exists(lockFile) && probe is null) continue;
            File.Delete(file);
            cleared.Add(domain);
        }
        return cleared;
    });
}

/// <summary>One run's claim: its look at the host and, when it fits, its reservation, in one step under the book's flock.</summary>
public sealed class ReservationClaim(ReservationBook book, Reservation mine)
{
    /// <summary>Looks with what the other runs reserved; reserves <paramref name="mine"/> when the look admits.</summary>
    public T Look<T>(Func<long, long, T> look, Func<T, bool> admitted) => book.Locked(() =>
    {
        var others = book.Others(mine.Domain);
        var result = look(others.Sum(r => (long)r.MemoryMb), others.Sum(r => (long)r.DiskMb));
        if (admitted(result)) book.Write(mine);
        return result;
    });
}
