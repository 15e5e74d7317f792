namespace RecipeCi.Tests.Support;

/// <summary>
/// The Bridge target as an operator runs it, as its own process, against a fake forge and Drone:
/// a workspace for its catalogue, state and artifacts, its tokens and webhook secret in the
/// environment, and a way to wait for its polls.
/// </summary>
public sealed class BridgeRig : IDisposable
{
    public FakeForge Forge { get; } = new();
    public Workspace Ws { get; } = new();
    public string State => Path.Combine(Ws.Root, "state");
    public string Secret { get; } = "hook-secret-" + Guid.NewGuid().ToString("N");
    public int HookPort { get; } = FreePort();
    public string Hook => $"http://127.0.0.1:{HookPort}/hook/";
    private RunningHarness? _bridge;
    private readonly List<string> _earlier = [];

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A catalogue with one recipe watched on <paramref name="forgeRepo"/> (its repository is never cloned by the fake Drone).</summary>
    public Task EnrolAsync(string recipe, string forgeRepo) =>
        File.WriteAllTextAsync(Ws.Catalog, $"recipes:\n  {recipe}:\n    repository: {Path.Combine(Ws.Root, "repos", recipe)}\n    forge: {forgeRepo}\n");

    public void Start(int poll = 1, bool listen = true, params string[] extra)
    {
        _bridge = Harness.Start(
        [
            "--target=Bridge", $"--catalog={Ws.Catalog}", $"--state-dir={State}", $"--artifacts={Ws.Artifacts}", $"--lock-dir={Ws.LockDir}",
            $"--forge-url={Forge.Url}", $"--bot={Forge.Bot}", $"--drone-url={Forge.Url}", "--drone-repo=ops/recipe-ci", $"--poll={poll}",
            .. listen ? [$"--listen=127.0.0.1:{HookPort}"] : Array.Empty<string>(), .. extra,
        ], new Dictionary<string, string?>
        {
            ["RECIPE_CI_FORGE_TOKEN"] = Forge.GiteaToken, ["RECIPE_CI_DRONE_TOKEN"] = Forge.DroneToken, ["RECIPE_CI_WEBHOOK_SECRET"] = Secret,
        });
    }

    /// <summary>The output of every bridge process this rig started.</summary>
    public string Output => string.Join("\n", _earlier) + (_bridge?.Output ?? "");

    public string Explain() => $"bridge output:\n{Output}\n--- forge requests:\n{Forge.Log()}";

    public int Polls => Forge.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/issues/comments", StringComparison.Ordinal));

    /// <summary>Waits until the bridge has marked what was there as seen (its first poll).</summary>
    public Task PrimedAsync() =>
        Eventually.HoldsAsync(() => Task.FromResult(Output.Contains("existing comment(s) marked seen", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the bridge's first poll", Explain);

    /// <summary>Waits for <paramref name="count"/> more polls to have started.</summary>
    public async Task PollsAsync(int count)
    {
        var target = Polls + count;
        await Eventually.HoldsAsync(() => Task.FromResult(Polls >= target), TimeSpan.FromSeconds(90), $"{count} more polls", Explain);
    }

    /// <summary>Stops the bridge as systemd does (SIGTERM) and waits for it to exit.</summary>
    public async Task<HarnessResult> StopAsync()
    {
        var bridge = _bridge ?? throw new InvalidOperationException("not started");
        bridge.Signal("TERM");
        var result = await bridge.WaitAsync(TimeSpan.FromSeconds(60));
        _earlier.Add(bridge.Output);
        bridge.Dispose();
        _bridge = null;
        return result;
    }

    public void Dispose()
    {
        _bridge?.Dispose();
        Forge.Dispose();
        Ws.Dispose();
    }
}
