using RecipeCi.Swarm;

namespace RecipeCi.Machine;

/// <summary>This machine's memory (/proc/meminfo) and the filesystem under docker's root directory, as admission reads them.</summary>
public sealed class HostResourceProbe(DockerCli docker)
{
    /// <summary>Asks docker for its root once; the probe it returns reads memory and disk afresh at every call.</summary>
    public async Task<Func<HostResources>> LocalAsync(CancellationToken ct)
    {
        var root = await docker.DataRootAsync(ct);
        return () =>
        {
            var (available, total) = ResourceAdmission.ParseMeminfo(File.ReadAllText("/proc/meminfo"));
            var drive = new DriveInfo(root);
            return new HostResources(available, total, drive.AvailableFreeSpace >> 20, drive.TotalSize >> 20, root);
        };
    }
}
