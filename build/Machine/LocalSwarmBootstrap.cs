using RecipeCi.Processes;
using RecipeCi.Swarm;

namespace RecipeCi.Machine;

/// <summary>
/// Makes this machine ready to run recipes and the tests, idempotently: Debian's docker.io,
/// busybox-static, restic, git and chromium when missing, dockerd started, a single-node swarm on 127.0.0.1, and the base
/// image every sample and test recipe uses imported from the static busybox (no registry here).
/// The swarm is then what an abra server is to a recipe: it has the <c>proxy</c> network.
/// </summary>
public sealed class LocalSwarmBootstrap(CommandRunner runner, TimeProvider time, Action<string> say)
{
    public const string BaseImage = "recipe-ci/busybox:1";

    /// <summary>The overlay network an abra server's traefik creates and every web recipe joins as external.</summary>
    public const string ProxyNetwork = "proxy";

    private readonly DockerCli _docker = new(runner);

    public async Task RunAsync(CancellationToken ct)
    {
        await EnsurePackagesAsync(ct);
        await EnsureDaemonAsync(ct);
        await EnsureSwarmAsync(ct);
        await EnsureProxyNetworkAsync(ct);
        await EnsureBaseImageAsync(ct);
        say("local swarm ready");
    }

    private async Task<CommandResult> Sh(string script, CancellationToken ct, bool check = true, TimeSpan? timeout = null) =>
        await runner.RunAsync(new Command("sh", "-c", script) { Check = check, Timeout = timeout ?? TimeSpan.FromMinutes(10) }, ct);

    /// <summary>What the harness runs on this host, and the Debian package that brings it.</summary>
    private static readonly (string Tool, string Package)[] Needs =
    [
        ("docker", "docker.io"), ("dockerd", "docker.io"),
        ("/bin/busybox", "busybox-static"),   // the base image's root file system
        ("restic", "restic"),                 // the local driver's backup store
        ("git", "git"),
        ("chromium", "chromium"),             // the test suite looks at the run and sweep pages in it, headless
    ];

    private async Task EnsurePackagesAsync(CancellationToken ct)
    {
        var missing = new List<string>();
        foreach (var (tool, package) in Needs)
            if (!(tool.StartsWith('/') ? File.Exists(tool) : (await Sh($"command -v {tool}", ct, check: false)).Succeeded))
                missing.Add(package);
        missing = missing.Distinct().ToList();
        if (missing.Count == 0) { say($"{string.Join(", ", Needs.Select(n => n.Package).Distinct())}: installed"); return; }
        var packages = string.Join(' ', missing);
        if (Environment.UserName != "root")
            throw new InvalidOperationException($"{packages} missing and this is not root: run 'apt-get install -y {packages}' as root");
        say($"installing {packages} from Debian");
        await Sh($"apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {packages}", ct, timeout: TimeSpan.FromMinutes(20));
    }

    private async Task EnsureDaemonAsync(CancellationToken ct)
    {
        if (await _docker.EngineAnswersAsync(ct)) { say("dockerd: running"); return; }
        say("starting dockerd (log: /var/log/dockerd.log)");
        await Sh("nohup setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &", ct);
        var up = await Poll.UntilAsync(new PollPlan(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60)), time,
            () => _docker.EngineAnswersAsync(ct), null, ct);
        if (!up) throw new InvalidOperationException("dockerd did not answer within 60s; see /var/log/dockerd.log");
        say("dockerd: up");
    }

    private async Task EnsureSwarmAsync(CancellationToken ct)
    {
        if (await _docker.SwarmActiveAsync(ct)) { say("swarm: active"); return; }
        say("initialising a single-node swarm on 127.0.0.1");
        await _docker.SwarmInitAsync("127.0.0.1", ct);
    }

    private async Task EnsureProxyNetworkAsync(CancellationToken ct)
    {
        if (await _docker.NetworkExistsAsync(ProxyNetwork, ct)) { say($"network {ProxyNetwork}: present"); return; }
        say($"creating the attachable overlay network {ProxyNetwork} (an abra server's traefik provides it)");
        var created = await _docker.AttachableOverlayCreateAsync(ProxyNetwork, ct);
        // Another bootstrap (a parallel test run) may have created it in the meantime.
        if (!created.Succeeded && !await _docker.NetworkExistsAsync(ProxyNetwork, ct))
            throw new InvalidOperationException($"could not create the network {ProxyNetwork}: {created.Output}");
    }

    private async Task EnsureBaseImageAsync(CancellationToken ct)
    {
        if (await _docker.ImageExistsAsync(BaseImage, ct)) { say($"image {BaseImage}: present"); return; }
        say($"importing {BaseImage} from /bin/busybox");
        var root = Directory.CreateTempSubdirectory("recipe-ci-rootfs").FullName;
        try
        {
            await Sh($"""
                set -e
                mkdir -p {root}/bin {root}/etc {root}/tmp {root}/var/www {root}/data
                cp /bin/busybox {root}/bin/busybox
                for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox {root}/bin/$a; done
                echo 'root:x:0:0:root:/root:/bin/sh' > {root}/etc/passwd
                echo 'root:x:0:' > {root}/etc/group
                chmod 1777 {root}/tmp
                """, ct);
            await _docker.ImageImportAsync(root, BaseImage, ["ENV PATH=/bin", "CMD [\"sh\"]"], ct);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
