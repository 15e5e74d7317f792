using RecipeCi.Processes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Checks;

/// <summary>
/// The harness's own static busybox, copied into an app's container at a private path, so that
/// probes need nothing from the image: distroless and scratch images have no sh, wget, curl or nc.
/// Probes still run inside the container and ask only its own loopback.
/// </summary>
public sealed class ProbeTool(DockerCli docker)
{
    /// <summary>Debian's busybox-static, which Bootstrap installs.</summary>
    public const string HostBinary = "/bin/busybox";

    /// <summary>busybox runs its first argument as the applet when its own name starts with "busybox".</summary>
    public const string ContainerPath = "/busybox-recipe-ci";

    private readonly HashSet<string> _placed = [];

    /// <summary>
    /// Runs a busybox applet in the container, or gives null when the container stopped meanwhile
    /// (swarm replaces it; the caller asks again). A tool that cannot be placed in a running
    /// container is an error of the probe, never a verdict on the recipe.
    /// </summary>
    public async Task<CommandResult?> RunAsync(string container, TimeSpan timeout, CancellationToken ct, params string[] applet) =>
        await PlaceAsync(container, ct) ? await docker.ExecAsync(container, [ContainerPath, .. applet], ct, timeout) : null;

    /// <summary>
    /// A secret file of the container as it is (<c>cat</c>), unredacted and kept out of the run's
    /// records; null when the container stopped meanwhile.
    /// </summary>
    public async Task<CommandResult?> ReadSecretAsync(string container, string path, TimeSpan timeout, CancellationToken ct) =>
        await PlaceAsync(container, ct) ? await docker.ExecAsync(container, [ContainerPath, "cat", path], ct, timeout, revealsSecret: true) : null;

    /// <summary>
    /// A secret of a stack as the first of <paramref name="services"/> with a running container that
    /// mounts it at <c>/run/secrets/&lt;name&gt;</c> sees it; null when none does.
    /// </summary>
    public async Task<string?> StackSecretAsync(Naming.StackName stack, IEnumerable<string> services, string name, TimeSpan timeout, CancellationToken ct)
    {
        foreach (var service in services)
            if (await docker.RunningContainerAsync(stack.Of(service), ct) is { } container
                && await ReadSecretAsync(container, $"/run/secrets/{name}", timeout, ct) is { Succeeded: true } read)
                return read.Stdout.TrimEnd('\n');
        return null;
    }

    /// <summary>Places the tool in the container once; false when the container stopped meanwhile.</summary>
    private async Task<bool> PlaceAsync(string container, CancellationToken ct)
    {
        if (!_placed.Contains(container))
        {
            var cp = await docker.CopyIntoContainerAsync(HostBinary, container, ContainerPath, ct);
            if (!cp.Succeeded)
            {
                var state = await docker.ContainerStateAsync(container, ct);
                if (state?.Status != "running") return false;
                throw new StageFailure(StageStatus.Error,
                    $"the probe cannot run: copying Recipe CI's busybox into container {container[..Math.Min(12, container.Length)]} failed " +
                    $"(a read-only root file system?): {cp.Output}");
            }
            _placed.Add(container);
        }
        return true;
    }
}
