using System.Diagnostics;
using RecipeCi.Processes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Routing;

/// <summary>
/// A small container on the overlay network traefik shares with the apps (<c>proxy</c>), so the
/// harness asks an app from where traefik stands: the routing probe runs busybox in it, and the
/// browser runs chromium in its network namespace. One per run, reused by every probe of the run;
/// it removes itself after <see cref="Lifetime"/> should the run never dispose it.
/// </summary>
public sealed class ProxyHelper : IAsyncDisposable
{
    /// <summary>Longer than any run's budget; a helper a killed run leaves behind ends by itself.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);

    /// <summary>Marks the helper, so the janitor can tell it from anything else on the network.</summary>
    public const string Label = "recipe-ci.helper=proxy";

    private const string NamePrefix = "recipe-ci-proxy-";

    /// <summary>The helper of a run's stack: one per stack, so a run's lock is the helper's too.</summary>
    public static string NameFor(string stack) => NamePrefix + stack;

    /// <summary>The stack a helper's container name was given for; null for another name.</summary>
    public static string? StackOf(string name) => name.StartsWith(NamePrefix, StringComparison.Ordinal) ? name[NamePrefix.Length..] : null;

    private readonly DockerCli _docker;
    private readonly string _image;

    public string Name { get; }
    public string Network { get; }
    /// <summary>How long this object took to start the container, once it did; null before (what the probe's cost leaves out).</summary>
    public TimeSpan? StartTime { get; private set; }

    private ProxyHelper(DockerCli docker, string name, string network, string image) => (_docker, Name, Network, _image) = (docker, name, network, image);

    /// <param name="image">An image with busybox's sh, nc and sleep (Bootstrap's base image).</param>
    public static ProxyHelper For(DockerCli docker, string name, string network, string image) => new(docker, name, network, image);

    /// <summary>Starts the helper unless it already runs (a run asks many times); gives its container's state.</summary>
    public async Task<ContainerState> EnsureAsync(CancellationToken ct)
    {
        if (await _docker.ContainerStateAsync(Name, ct) is { Status: "running" } running) return running;
        var clock = Stopwatch.StartNew();
        await _docker.RemoveAsync("container", [Name], ct, check: false);
        var started = await _docker.ContainerRunDetachedAsync(Name, Label, Network, _image,
            ["sleep", ((int)Lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
        StartTime = clock.Elapsed;
        // A parallel caller may have started it meanwhile: what counts is that it runs now.
        return await _docker.ContainerStateAsync(Name, ct) is { Status: "running" } now ? now
            : throw new StageFailure(StageStatus.Error,
                $"the routing probe cannot start its helper on the {Network} network ({_image}): {started.Output}. Fix: ./build.sh --target=Bootstrap (it creates {Network} and imports {_image})");
    }

    /// <summary>
    /// The helper's network namespace on this host (<c>/proc/&lt;pid&gt;/ns/net</c>) for a process to
    /// join with nsenter, or null when the docker engine is not on this host.
    /// </summary>
    public async Task<string?> NetworkNamespaceAsync(CancellationToken ct)
    {
        await EnsureAsync(ct);
        return await _docker.ContainerProcessAsync(Name, ct) is { } p && new ContainerProcess(p.Pid, p.Id).IsOnThisHost() ? $"/proc/{p.Pid}/ns/net" : null;
    }

    /// <summary><c>sh -c</c> in the helper; the result whatever the exit code.</summary>
    public async Task<CommandResult> ShAsync(string script, TimeSpan timeout, CancellationToken ct, params string[] args)
    {
        await EnsureAsync(ct);
        return await _docker.ExecAsync(Name, ["sh", "-c", script, "sh", .. args], ct, timeout);
    }

    public async ValueTask DisposeAsync() => await RemoveAsync(_docker, Name, CancellationToken.None);

    /// <summary>Kills and removes a helper container (none of that name is no error); the result whatever the exit code.</summary>
    public static Task<CommandResult> RemoveAsync(DockerCli docker, string name, CancellationToken ct) =>
        docker.RemoveAsync("container", [name], ct, check: false);
}
