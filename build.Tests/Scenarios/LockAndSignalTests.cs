using RecipeCi.Locks;
using RecipeCi.Machine;
using RecipeCi.Processes;
using RecipeCi.Reaping;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Routing;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// Shared by the lock, signal and janitor scenarios. Each workspace uses a domain suffix of its
/// own, so a janitor of the tests can only ever match the tests' own stacks, never the stacks of
/// other runs on the same swarm.
/// </summary>
internal static class Scenario
{
    public static string UniqueSuffix() => $"jt{Guid.NewGuid():N}"[..10] + ".test";

    /// <summary>A domain of the harness's shape (<c>live-&lt;6 hex&gt;.&lt;suffix&gt;</c>) that no recipe of the tests produces.</summary>
    public static string StandInDomain(string suffix) => $"live-{Guid.NewGuid():N}"[..11] + "." + suffix;

    public static Task<string> AddTwoReleasesAsync(Workspace ws, string recipe, string extra = "") =>
        ws.AddRecipeAsync(recipe, TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")), extra);

    /// <summary>Waits until the running harness has created a resource of the kind on the swarm; returns its stack.</summary>
    public static async Task<string> StackOnceCreatedAsync(Workspace ws, RunningHarness run, string runId, string recipe, string kind)
    {
        var stack = "";
        await Eventually.HoldsAsync(async () =>
        {
            Assert.False(run.HasExited, $"the run ended before it created a {kind}:\n{run.Output}");
            if (!File.Exists(Path.Combine(ws.RunDir(runId, recipe), RunResult.FileName))) return false;
            stack = ws.Results(runId, recipe).Stack;
            return stack.Length > 0 && (await Workspace.LeftoversAsync(stack)).Any(r => r.StartsWith(kind + ":", StringComparison.Ordinal));
        }, TimeSpan.FromMinutes(4), $"a {kind} of the run's stack", () => run.Output);
        return stack;
    }

    /// <summary>
    /// A stopped run: one stage ended with the reason, the stages after it are unverified, Teardown
    /// passed and nothing of the stack remains. Returns the interrupted stage.
    /// </summary>
    public static async Task<StageResult> AssertStoppedAndTornDownAsync(RunResult r, string reason)
    {
        var errors = r.Stages.Where(s => s.Status == StageStatus.Error).ToList();
        Assert.True(errors.Count == 1, "stages in error: " + string.Join("; ", errors.Select(s => $"{s.Name}: {s.Reason}")));
        var interrupted = errors[0];
        Assert.Equal(reason, interrupted.Reason);
        var after = r.Stages.SkipWhile(s => s != interrupted).Skip(1).ToList();
        Assert.Equal("Teardown", after[^1].Name);
        Assert.All(after[..^1], s => Assert.Equal(StageStatus.Unverified, s.Status));
        Assert.Equal(StageStatus.Passed, after[^1].Status);
        Assert.Equal(Verdict.Error, r.Verdict);
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        return interrupted;
    }

    /// <summary>Starts a run and SIGKILLs it once its stack has services, as the OOM killer would; returns what it left.</summary>
    public static async Task<(string RunId, string Stack, List<string> Left)> KilledMidDeployAsync(Workspace ws, string recipe, string suffix)
    {
        await AddTwoReleasesAsync(ws, recipe);
        var id = Workspace.NewRunId(recipe);
        using var run = Harness.Start(ws.Args("Upgrade", recipe, id, "--abra=local", $"--domain-suffix={suffix}"));
        var stack = await StackOnceCreatedAsync(ws, run, id, recipe, "service");
        run.Signal("KILL");
        Assert.Equal(137, (await run.WaitAsync(TimeSpan.FromMinutes(1))).ExitCode);
        var left = await Workspace.LeftoversAsync(stack);
        Assert.Contains(left, x => x.StartsWith("service:", StringComparison.Ordinal));
        Assert.Contains(left, x => x.StartsWith("secret:", StringComparison.Ordinal));
        return (id, stack, left);
    }

    public static async Task<List<JanitorReport>> JanitorsAsync(Workspace ws, int count, params string[] extra)
    {
        var before = JanitorReports(ws).Count;
        var runs = await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
            Harness.RunAsync(["--target=Janitor", $"--lock-dir={ws.LockDir}", $"--artifacts={ws.Artifacts}", .. extra])));
        foreach (var r in runs)
        {
            Assert.True(r.ExitCode == 0, r.Output);
            // Its answer comes after Cake's table: the pass's account, then its report.
            var last = r.Output.TrimEnd().Split('\n')[^2..];
            Assert.StartsWith("Janitor: ", last[0]);
            Assert.StartsWith("Report: ", last[1]);
        }
        var reports = JanitorReports(ws);
        Assert.Equal(before + count, reports.Count);
        return reports.Skip(before).ToList();
    }

    private static List<JanitorReport> JanitorReports(Workspace ws)
    {
        var dir = Path.Combine(ws.Artifacts, "janitor");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(JanitorReport.Read).ToList() : [];
    }
}

/// <summary>
/// Plays a live run for the janitor: holds the app-domain lock of a stack, as a run does, and gives
/// that stack one real swarm object. A janitor must leave both alone.
/// </summary>
internal sealed class LiveRunStandIn : IAsyncDisposable
{
    private readonly AppDomainLock _lock;
    private readonly DockerCli _docker = new(new CommandRunner());

    public string Domain { get; }
    public string Stack { get; }

    private LiveRunStandIn(string domain, AppDomainLock held) => (Domain, Stack, _lock) = (domain, Naming.AppNaming.StackName(domain), held);

    public static async Task<LiveRunStandIn> StartAsync(Workspace ws, string domain)
    {
        var live = new LiveRunStandIn(domain, AppDomainLock.TryAcquire(ws.LockDir, domain)!);
        live._lock.Record(new LockRecord("live-run", Environment.ProcessId, "live", domain, live.Stack, "local", "local",
            ws.Root, Path.Combine(ws.Root, "no-abra"), DateTimeOffset.UtcNow));
        await live._docker.Runner.RunAsync(new Command("docker", ["config", "create", "--label", $"{DockerCli.StackLabel}={live.Stack}", $"{live.Stack}_settings", "-"])
            { StandardInput = "live" });
        return live;
    }

    /// <summary>What a SIGKILL leaves: the kernel frees the lock; its file, the record in it and the stack stay.</summary>
    public void Die() => _lock.Release(unlink: false);

    public async ValueTask DisposeAsync()
    {
        await _docker.RemoveAsync("config", [$"{Stack}_settings"], CancellationToken.None, check: false);
        _lock.Release(unlink: true);
    }
}

/// <summary>Two runs of one app domain at once: the second waits for the first's lock, so their deploys never interleave.</summary>
public sealed class SameDomainConcurrencyTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Runs_of_one_app_domain_are_serialized_and_both_pass()
    {
        await LocalSwarm.EnsureAsync();
        await Scenario.AddTwoReleasesAsync(_ws, "conc");
        var suffix = Scenario.UniqueSuffix();
        string[] ids = [Workspace.NewRunId("conc-a"), Workspace.NewRunId("conc-b")];

        // Same recipe, same --pr, same head: the same app domain, hence the same stack.
        // One after the other: twice the budget of a single run.
        var runs = await Task.WhenAll(ids.Select(id => Harness.RunAsync(_ws.Args("Upgrade", "conc", id, "--abra=local", "--pr=7", $"--domain-suffix={suffix}"),
            timeout: TimeSpan.FromMinutes(20))));

        foreach (var run in runs) Assert.True(run.ExitCode == 0, run.Output);
        var results = ids.Select(id => _ws.Results(id, "conc")).ToList();
        Assert.All(results, r => Assert.Equal(Verdict.Passed, r.Verdict));
        Assert.Equal(results[0].AppDomain, results[1].AppDomain);

        var waited = ids.Select(id => File.ReadAllText(Path.Combine(_ws.RunDir(id, "conc"), "01-FetchRecipe", "console.log"))
            .Contains("is locked by another run")).ToList();
        Assert.Equal(1, waited.Count(w => w));
        var second = results[waited.IndexOf(true)];
        var first = results[waited.IndexOf(false)];

        // The recorded timeline: everything the second run did on the swarm began after the first's teardown ended.
        var firstTeardown = first.Stages.Single(s => s.Stage == StageId.Teardown);
        var firstDone = firstTeardown.StartedAt.AddSeconds(firstTeardown.DurationS);
        var firstDeploy = first.Stages.Single(s => s.Stage == StageId.DeployBase).StartedAt;
        foreach (var stage in second.Stages.SkipWhile(s => s.Name is "FetchRecipe"))
            Assert.True(stage.StartedAt >= firstDone, $"{stage.Name} of the second run started at {stage.StartedAt:O}, before the first run's teardown ended at {firstDone:O}");
        Assert.True(second.Stages.Single(s => s.Stage == StageId.FetchRecipe).StartedAt < firstDone, "the second run must have overlapped the first (it waited for the lock)");
        Assert.True(firstDeploy < firstDone);
        Assert.Empty(await Workspace.LeftoversAsync(first.Stack));
        Assert.Empty(AppDomainLock.FilesIn(_ws.LockDir));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A run stopped while it waits for the lock has deployed nothing: its teardown leaves the holder's stack alone.</summary>
public sealed class StoppedWaiterTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_run_stopped_while_waiting_for_the_lock_never_touches_the_holders_stack()
    {
        await LocalSwarm.EnsureAsync();
        var repo = await Scenario.AddTwoReleasesAsync(_ws, "wait");
        var suffix = Scenario.UniqueSuffix();
        var head = await _ws.GitAsync(repo, "rev-parse", "HEAD");
        await using var holder = await LiveRunStandIn.StartAsync(_ws, Naming.AppNaming.Domain("wait", "9", head, suffix));
        var id = Workspace.NewRunId("wait");

        var exit = await Harness.RunAsync(_ws.Args("Upgrade", "wait", id, "--abra=local", "--pr=9", "--deadline=0.4", $"--domain-suffix={suffix}"));

        Assert.True(exit.ExitCode == 142, exit.Output);
        var r = _ws.Results(id, "wait");
        Assert.Equal(holder.Domain, r.AppDomain);
        var fetch = r.Stages.Single(s => s.Stage == StageId.FetchRecipe);
        Assert.Equal("interrupted by deadline: the run's limit of 0.4 min (--deadline) passed", fetch.Reason);
        Assert.Contains("is locked by another run", File.ReadAllText(Path.Combine(_ws.RunDir(id, "wait"), fetch.Folder, "console.log")));
        var teardown = r.Stages.Single(s => s.Stage == StageId.Teardown);
        Assert.Equal(StageStatus.Skipped, teardown.Status);
        Assert.Contains("never held the lock", teardown.Reason);
        Assert.Contains($"config:{holder.Stack}_settings", await Workspace.LeftoversAsync(holder.Stack));
        Assert.True(File.Exists(AppDomainLock.PathFor(_ws.LockDir, holder.Domain)));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>SIGTERM mid-deploy (Drone's cancel): the stage is interrupted, teardown runs, nothing remains, exit 143.</summary>
public sealed class SigtermTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Sigterm_mid_deploy_tears_down_and_exits_143()
    {
        await LocalSwarm.EnsureAsync();
        await Scenario.AddTwoReleasesAsync(_ws, "sigt");
        var id = Workspace.NewRunId("sigt");
        using var run = Harness.Start(_ws.Args("Upgrade", "sigt", id, "--abra=local", $"--domain-suffix={Scenario.UniqueSuffix()}"));

        // DeployBase generates the app's secrets first: one on the swarm means the deploy is under way.
        var stack = await Scenario.StackOnceCreatedAsync(_ws, run, id, "sigt", "secret");
        run.Signal("TERM");
        var exit = await run.WaitAsync(TimeSpan.FromMinutes(6));

        Assert.True(exit.ExitCode == 143, exit.Output);
        var r = _ws.Results(id, "sigt");
        Assert.Equal(stack, r.Stack);
        var interrupted = await Scenario.AssertStoppedAndTornDownAsync(r, "interrupted by SIGTERM");
        Assert.True(r.Stages.IndexOf(interrupted) > r.Stages.FindIndex(s => s.Stage == StageId.RunAdmission), $"{interrupted.Name} is not a deploy stage");
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.RunAdmission).Status);
        Assert.Empty(AppDomainLock.FilesIn(_ws.LockDir));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A run past its --deadline stops like SIGTERM, with its own exit code and reason.</summary>
public sealed class DeadlineTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_run_past_its_deadline_tears_down_and_exits_142()
    {
        await LocalSwarm.EnsureAsync();
        // The app never answers this path, so the health wait alone (the workspace's budget) outlasts an 18 s deadline.
        await Scenario.AddTwoReleasesAsync(_ws, "dead", "    health: {path: /never-served}\n");
        var id = Workspace.NewRunId("dead");

        var exit = await Harness.RunAsync(_ws.Args("Upgrade", "dead", id, "--abra=local", "--deadline=0.3", $"--domain-suffix={Scenario.UniqueSuffix()}"));

        Assert.True(exit.ExitCode == 142, exit.Output);
        await Scenario.AssertStoppedAndTornDownAsync(_ws.Results(id, "dead"), "interrupted by deadline: the run's limit of 0.3 min (--deadline) passed");
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A SIGKILLed run cannot tear down; the janitor finds its free lock and reaps its stack, and leaves a live run alone.</summary>
public sealed class JanitorTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task The_janitor_reaps_a_killed_run_once_and_never_a_live_one()
    {
        await LocalSwarm.EnsureAsync();
        var suffix = Scenario.UniqueSuffix();
        await using var live = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        var (id, stack, left) = await Scenario.KilledMidDeployAsync(_ws, "sigk", suffix);

        // Two janitors at once: exactly one reaps.
        var reports = await Scenario.JanitorsAsync(_ws, 2);

        var reaped = reports.SelectMany(j => j.Reaped).ToList();
        var entry = Assert.Single(reaped);
        Assert.Equal(stack, entry.Stack);
        Assert.Equal(id, entry.RunId);
        Assert.StartsWith("local abra", entry.Through);
        Assert.Empty(entry.Leaked);
        // Containers come and go as swarm restarts tasks; the stack's other objects must all have been reaped.
        Assert.Subset(entry.Removed.ToHashSet(), left.Where(x => !x.StartsWith("container:", StringComparison.Ordinal)).ToHashSet());
        Assert.Empty(await Workspace.LeftoversAsync(stack));
        Assert.False(File.Exists(AppDomainLock.PathFor(_ws.LockDir, entry.Domain)));

        Assert.All(reports, j => Assert.Contains(j.Held, h => h.Domain == live.Domain));
        Assert.Contains($"config:{live.Stack}_settings", await Workspace.LeftoversAsync(live.Stack));
        Assert.True(File.Exists(AppDomainLock.PathFor(_ws.LockDir, live.Domain)));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>
/// After a reboot /run/lock is empty but the swarm still holds the stacks of killed runs: only on
/// request (--reap-unrecorded, scoped to one domain suffix) does the janitor reap stacks no lock records.
/// </summary>
public sealed class UnrecordedStackTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Stacks_no_lock_records_are_reaped_only_on_request_and_live_ones_still_never()
    {
        await LocalSwarm.EnsureAsync();
        var suffix = Scenario.UniqueSuffix();
        await using var live = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        var (id, stack, _) = await Scenario.KilledMidDeployAsync(_ws, "sigr", suffix);
        File.Delete(AppDomainLock.PathFor(_ws.LockDir, _ws.Results(id, "sigr").AppDomain));   // what a reboot does to /run/lock

        var byDefault = Assert.Single(await Scenario.JanitorsAsync(_ws, 1));
        Assert.Empty(byDefault.Reaped);
        Assert.NotEmpty(await Workspace.LeftoversAsync(stack));

        var onRequest = Assert.Single(await Scenario.JanitorsAsync(_ws, 1, "--reap-unrecorded", $"--domain-suffix={suffix}"));
        var entry = Assert.Single(onRequest.Reaped);
        Assert.Equal(stack, entry.Stack);
        Assert.Null(entry.RunId);
        Assert.Empty(await Workspace.LeftoversAsync(stack));
        Assert.Contains(onRequest.Held, h => h.Domain == live.Domain);
        Assert.Contains($"config:{live.Stack}_settings", await Workspace.LeftoversAsync(live.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A killed run leaves its proxy helper beside its stack; the janitor removes it with the stack, and never a live run's.</summary>
public sealed class JanitorHelperTests : IAsyncLifetime
{
    private readonly Workspace _ws = new();
    private readonly DockerCli _docker = new(new CommandRunner());
    private readonly List<string> _helpers = [];

    private async Task<string> HelperOfAsync(string stack)
    {
        var name = ProxyHelper.NameFor(stack);
        await ProxyHelper.For(_docker, name, LocalSwarmBootstrap.ProxyNetwork, LocalSwarmBootstrap.BaseImage).EnsureAsync(CancellationToken.None);
        return name;
    }

    [Fact]
    public async Task A_dead_runs_proxy_helper_is_reaped_with_its_stack_or_alone_and_a_live_runs_stays()
    {
        await LocalSwarm.EnsureAsync();
        var suffix = Scenario.UniqueSuffix();
        await using var live = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        await using var dead = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        await using var deadEmpty = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        var helpers = await Task.WhenAll(new[] { live, dead, deadEmpty }.Select(s => HelperOfAsync(s.Stack)));
        _helpers.AddRange(helpers);
        dead.Die();
        deadEmpty.Die();
        await _docker.RemoveAsync("config", [$"{deadEmpty.Stack}_settings"], CancellationToken.None);   // it left its helper alone

        var report = Assert.Single(await Scenario.JanitorsAsync(_ws, 1));

        var reaped = report.Reaped.ToDictionary(r => r.Stack);
        Assert.Equal(new[] { dead.Stack, deadEmpty.Stack }.Order(StringComparer.Ordinal), reaped.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"container:{helpers[1]}", reaped[dead.Stack].Removed);
        Assert.Equal([$"container:{helpers[2]}"], reaped[deadEmpty.Stack].Removed);
        Assert.All(reaped.Values, r => Assert.Empty(r.Leaked));
        var left = await _docker.ContainerNamesLabelledAsync(ProxyHelper.Label, CancellationToken.None);
        Assert.DoesNotContain(helpers[1], left);
        Assert.DoesNotContain(helpers[2], left);
        Assert.Contains(helpers[0], left);
        Assert.Contains(report.Held, h => h.Domain == live.Domain);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Whatever the janitor did, no helper of this test outlives it.</summary>
    public async Task DisposeAsync()
    {
        foreach (var helper in _helpers) await ProxyHelper.RemoveAsync(_docker, helper, CancellationToken.None);
        _ws.Dispose();
    }
}
