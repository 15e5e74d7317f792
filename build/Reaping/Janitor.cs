using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Locks;
using RecipeCi.Machine;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Routing;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Reaping;

/// <summary>
/// Reaps what dead runs left on the swarm. Liveness is the app-domain lock, never age or a name:
/// a lock that can be taken belongs to a run the kernel has seen die; a held lock is a live run
/// and is left alone, however old. The stack is removed while the janitor holds the lock (a new
/// run of the domain waits meanwhile), and the lock file goes before the lock is released.
/// Candidates are the lock files of one lock folder; harness stacks that no lock file records
/// (after a reboot emptied /run/lock) only on request, as runs of other lock folders look the same.
/// A dead run's proxy helper (<see cref="ProxyHelper"/>: one per stack, labelled) goes with its stack.
/// </summary>
/// <param name="runDeadline">The runs' deadline (--deadline): a lock held twice as long is worth a warning, never a steal.</param>
/// <param name="retention">How long what runs kept outside their run folders stays (--retention-days).</param>
public sealed class Janitor(DockerCli docker, CommandRunner runner, TimeProvider time, TimeSpan runDeadline, Retention retention, Action<string> say)
{
    private static readonly string[] NamedKinds = ["service", "network", "volume", "secret", "config"];

    /// <param name="keptFolder">What runs kept outside their run folders, one subfolder per run id (the bad-input messages): pruned by <see cref="Retention"/>.</param>
    public async Task<JanitorReport> RunAsync(string lockDir, string? unrecordedSuffix, string keptFolder, CancellationToken ct)
    {
        var report = new JanitorReport { StartedAt = time.GetUtcNow(), LockDir = Path.GetFullPath(lockDir), UnrecordedSuffix = unrecordedSuffix };
        var visited = new HashSet<string>();
        foreach (var file in AppDomainLock.FilesIn(lockDir))
        {
            visited.Add(AppDomainLock.DomainOf(file));
            await VisitAsync(file, () => AppDomainLock.TryTakeExisting(file), report, ct);
        }
        if (unrecordedSuffix is not null)
            foreach (var domain in await UnrecordedDomainsAsync(unrecordedSuffix, ct))
                if (visited.Add(domain))
                    await VisitAsync(AppDomainLock.PathFor(lockDir, domain), () => AppDomainLock.TryAcquire(lockDir, domain), report, ct);
        var book = new ReservationBook(lockDir);
        if (Directory.Exists(book.Folder))
            foreach (var domain in book.ClearDead())
            {
                report.ReservationsCleared.Add(domain);
                say($"cleared the admission reservation of {domain}: its run is gone");
            }
        Prune(keptFolder, report);
        report.FinishedAt = time.GetUtcNow();
        return report;
    }

    /// <summary>
    /// A run id's folder goes whole (message, comment, status) once its newest write is past the
    /// retention: a Publish run again later keeps it. No lock guards these files, so age decides.
    /// </summary>
    private void Prune(string keptFolder, JanitorReport report)
    {
        if (!Directory.Exists(keptFolder)) return;
        var now = time.GetUtcNow();
        foreach (var folder in Directory.EnumerateDirectories(keptFolder).Order(StringComparer.Ordinal))
        {
            var newest = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc)
                .DefaultIfEmpty(Directory.GetLastWriteTimeUtc(folder)).Max();
            if (!retention.Expired(new DateTimeOffset(newest, TimeSpan.Zero), now)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                report.Errors.Add($"{folder}: {ex.Message}");
                say($"could not prune {folder}: {ex.Message}");
                continue;
            }
            report.Pruned.Add(folder);
            say($"pruned {folder}: last written {newest:yyyy-MM-dd HH:mm}Z, longer ago than the retention ({retention.Keep.TotalDays:0} days)");
        }
    }

    private async Task VisitAsync(string file, Func<AppDomainLock?> probe, JanitorReport report, CancellationToken ct)
    {
        AppDomainLock? taken;
        try
        {
            taken = probe();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            report.Skipped.Add(new SkippedLock(file, $"unreadable: {ex.Message}"));
            say($"skipping {file}: {ex.Message}");
            return;
        }
        if (taken is null)
        {
            NoteHeld(file, report);
            return;
        }
        using (taken)
        {
            try
            {
                await ReapAsync(taken, report, ct);
            }
            catch (CommandFailedException ex)
            {
                report.Errors.Add($"{file}: {ex.Message}");
                say($"could not reap {AppDomainLock.DomainOf(file)}: {ex.Message}");
            }
        }
    }

    private void NoteHeld(string file, JanitorReport report)
    {
        if (!File.Exists(file))
        {
            report.Skipped.Add(new SkippedLock(file, "gone while probing: its run ended or another janitor reaped it"));
            return;
        }
        var since = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
        var held = time.GetUtcNow() - since;
        var warning = held > 2 * runDeadline
            ? $"held for {held.TotalMinutes:0} min, longer than twice the runs' deadline (--deadline): possibly a leaked run; left alone (a held lock is never stolen)"
            : null;
        report.Held.Add(new HeldLock(AppDomainLock.DomainOf(file), file, since, warning));
        say($"leaving {AppDomainLock.DomainOf(file)} alone: its lock is held (a live run, or another janitor){(warning is null ? "" : "; " + warning)}");
    }

    private async Task ReapAsync(AppDomainLock taken, JanitorReport report, CancellationToken ct)
    {
        var record = taken.ReadRecord();
        var domain = record?.Domain ?? AppDomainLock.DomainOf(taken.Path);
        var stack = new StackName(record?.Stack ?? AppNaming.StackName(domain));
        var (abra, through) = AbraOf(record);
        var before = await new StackResources(docker, stack, time, say).RemainingAsync(ct);
        var helper = (await docker.ContainerNamesLabelledAsync(ProxyHelper.Label, ct)).FirstOrDefault(n => ProxyHelper.StackOf(n) == stack.Value);
        if (before.Count == 0 && abra is null && helper is null)
        {
            taken.Release(unlink: true);
            report.StaleLocksRemoved.Add(taken.Path);
            say($"removed the lock file of {domain}: its run is gone and left nothing");
            return;
        }
        say($"reaping {stack}: run {record?.RunId ?? "(unrecorded)"} (pid {record?.Pid.ToString() ?? "?"}) is gone, its lock {taken.Path} was free");
        var outcome = await new AppRemoval(docker, time, say).RemoveAsync(abra, domain, stack, ct);
        var (removed, leaked) = (before.Except(outcome.Leaked).ToList(), outcome.Leaked.ToList());
        if (helper is not null)
        {
            await ProxyHelper.RemoveAsync(docker, helper, ct);
            var left = (await docker.ContainerNamesLabelledAsync(ProxyHelper.Label, ct)).Contains(helper);
            (left ? leaked : removed).Add($"container:{helper}");
            say(left ? $"the proxy helper {helper} is still there" : $"removed the proxy helper {helper}");
        }
        report.Reaped.Add(new ReapedStack(domain, stack.Value, taken.Path, record?.RunId, record?.Pid, record?.RunDirectory, through,
            removed, leaked, outcome.Problems));
        // A file kept after a leak still names the stack, so the next pass tries again.
        taken.Release(unlink: leaked.Count == 0);
        say(leaked.Count == 0 ? $"reaped {stack}: nothing of it remains" : $"reaping {stack} leaked: {string.Join(", ", leaked)}");
    }

    /// <summary>The dead run's own abra (its ABRA_DIR and driver) while its app env still exists; else docker alone.</summary>
    private (IAbra? Abra, string Through) AbraOf(LockRecord? record)
    {
        if (record is null) return (null, "docker (the lock file records no run)");
        var dir = new AbraDir(record.AbraDir);
        if (!File.Exists(dir.EnvPath(record.Server, record.Domain))) return (null, $"docker (no app env under {dir.Root})");
        try
        {
            var mode = record.Driver == "cli" ? AbraMode.Cli : AbraMode.Local;
            return (new AbraDrivers(docker, runner, new ConvergenceWatcher(docker, time), time, say).Choose(mode, dir), $"{record.Driver} abra with {dir.Root}, then docker");
        }
        catch (BadInputException ex)
        {
            return (null, $"docker ({ex.Message})");
        }
    }

    private async Task<List<string>> UnrecordedDomainsAsync(string suffix, CancellationToken ct)
    {
        var domains = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var kind in NamedKinds)
            foreach (var name in await docker.NamesWithPrefixAsync(kind, "", ct))
                if (AppNaming.DomainOfResource(name, suffix) is { } domain)
                    domains.Add(domain);
        foreach (var helper in await docker.ContainerNamesLabelledAsync(ProxyHelper.Label, ct))
            if (ProxyHelper.StackOf(helper) is { } stack && AppNaming.DomainOfResource(stack, suffix) is { } domain)
                domains.Add(domain);
        return [.. domains];
    }
}
