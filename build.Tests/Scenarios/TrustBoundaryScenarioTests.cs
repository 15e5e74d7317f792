using RecipeCi.Results;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// What swarm holds of a stack while a run goes on, sampled a few times a second: the app service's
/// mounts and the stack's secret names, so a test can say what never reached the swarm.
/// </summary>
internal sealed class SwarmSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    public HashSet<string> Mounts { get; } = [];
    public HashSet<string> Secrets { get; } = [];

    public SwarmSampler(string stack)
    {
        var runner = new CommandRunner();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var mounts = await runner.RunAsync(new Command("docker", "service", "inspect", $"{stack}_app",
                    "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}") { Check = false });
                if (mounts.Succeeded) Mounts.Add(mounts.Stdout.Trim());
                var secrets = await runner.RunAsync(new Command("docker", "secret", "ls", "--filter", $"name={stack}_", "--format", "{{.Name}}") { Check = false });
                foreach (var name in secrets.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)) Secrets.Add(name.Trim());
                await Task.Delay(250);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>
/// The trust boundary on the real local swarm: a PR head that reaches into the host is refused
/// before its deploy reaches the swarm, and a catalogue allowance lets a construct through.
/// </summary>
public sealed class TrustBoundaryScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    private const string Sample = "TYPE=test\nDOMAIN=test.example.com\nCOMPOSE_FILE=\"compose.yml\"\nSECRET_TOKEN_VERSION=v1 # length=24\n";

    /// <summary>A fine base release, then a PR head whose compose file the test rewrites.</summary>
    private async Task<(string Head, string Stack)> AddPrRecipeAsync(string name, Func<string, string> headCompose)
    {
        var base1 = new TestRelease("1.0.0+1", "1.0.0+1");
        var head = new TestRelease("1.1.0+2");
        var history = new RecipeHistory([
            new HistoryCommit("chore: publish 1.0.0+1 release", "1.0.0+1", new Dictionary<string, string> { ["compose.yml"] = TestRecipe.Compose(base1), [".env.sample"] = Sample }),
            new HistoryCommit("feat: the PR's change", null, new Dictionary<string, string> { ["compose.yml"] = headCompose(TestRecipe.Compose(head)), [".env.sample"] = Sample }),
        ]);
        var repo = await _ws.AddRecipeAsync(name, history);
        var sha = await _ws.GitAsync(repo, "rev-parse", "HEAD");
        return (sha, AppNaming.StackName(AppNaming.Domain(name, "1", sha, "ci.local")));
    }

    private static int LineOf(string text, string needle) => text.Split('\n').ToList().FindIndex(l => l.Contains(needle, StringComparison.Ordinal)) + 1;

    /// <summary>
    /// An upgrade to a PR head that the trust boundary must refuse, watched on swarm: the base
    /// deploys, VetHead refuses, nothing after it runs but Teardown, which leaves nothing behind.
    /// </summary>
    private async Task<(string Reason, SwarmSampler Swarm, string Stack)> RunRefusedPrAsync(string recipe, Func<string, string> headCompose)
    {
        await LocalSwarm.EnsureAsync();
        var (head, stack) = await AddPrRecipeAsync(recipe, headCompose);
        HarnessResult run;
        SwarmSampler sampled;
        await using (sampled = new SwarmSampler(stack))
            run = await _ws.RunAsync("Upgrade", recipe, "--abra=local", "--pr=1", $"--ref={head}");

        Assert.True(run.ExitCode == 1, _ws.Explain(recipe, run));
        var r = _ws.Results(recipe);
        Assert.Equal(stack, r.Stack);
        Assert.Equal(Verdict.Refused, r.Verdict);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.VetBase).Status);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.DeployBase).Status);
        var vet = r.Stages.Single(s => s.Stage == StageId.VetHead);
        Assert.Equal(StageStatus.Refused, vet.Status);
        Assert.All(r.Stages.Where(s => s.Name is "ChaosRedeploy" or "AwaitHeadConvergence" or "HeadIdentityCheck"),
            s => Assert.Equal(StageStatus.Unverified, s.Status));
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.Contains("type=\"refused\"", await File.ReadAllTextAsync(Path.Combine(_ws.RunDir(recipe), "junit.xml")));
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        return (vet.Reason!, sampled, stack);
    }

    [Fact]
    public async Task Pr_head_that_mounts_the_docker_socket_is_refused_before_its_deploy_reaches_the_swarm()
    {
        const string socket = "    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n";
        string WithSocket(string compose) => compose.Replace("  app:\n    image: recipe-ci/busybox:1\n", "  app:\n    image: recipe-ci/busybox:1\n" + socket);

        var (reason, swarm, _) = await RunRefusedPrAsync("tbsock", WithSocket);

        var line = LineOf(WithSocket(TestRecipe.Compose(new TestRelease("1.1.0+2"))), "/var/run/docker.sock");
        Assert.Contains($"L009 docker-socket at compose.yml:{line}", reason);
        Assert.Contains("/var/run/docker.sock", reason);
        Assert.Contains("recipes.tbsock.allow: [docker-socket]", reason);
        // The base's app service was seen (no mounts), and never with the socket.
        Assert.Contains("null", swarm.Mounts);
        Assert.DoesNotContain(swarm.Mounts, m => m.Contains("docker.sock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pr_head_with_a_secret_read_from_a_host_file_is_refused_and_no_such_secret_ever_exists()
    {
        var (reason, swarm, stack) = await RunRefusedPrAsync("tbhost",
            compose => compose.Replace("secrets: [token]", "secrets: [token, hn]") + "\n  hn:\n    file: /etc/hostname\n");

        Assert.Contains("L016 file-outside-tree", reason);
        Assert.Contains("secrets.hn.file is /etc/hostname", reason);
        // The base's own secret was seen, so the sampler watched the right stack; the host file's never was.
        Assert.Contains($"{stack}_token_v1", swarm.Secrets);
        Assert.DoesNotContain(swarm.Secrets, s => s.Contains("_hn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pr_head_that_names_another_apps_secret_as_external_is_refused()
    {
        // Another app's secret on the same swarm: the PR names it, as it would to read it.
        var other = $"tbother_{Guid.NewGuid():N}"[..20] + "_db_password_v1";
        var runner = new CommandRunner();
        await runner.RunAsync(new Command("docker", "secret", "create", other, "-") { StandardInput = "not this app's" });
        try
        {
            var (reason, _, _) = await RunRefusedPrAsync("tbext",
                compose => compose.Replace("secrets: [token]", "secrets: [token, db]") + $"\n  db:\n    external: true\n    name: {other}\n");

            Assert.Contains("L022 external-object", reason);
            Assert.Contains($"secrets.db is external and named {other}: not under the app's stack", reason);
            Assert.Contains("recipes.tbext.allow: [external-object]", reason);
        }
        finally
        {
            await runner.RunAsync(new Command("docker", "secret", "rm", other) { Check = false });
        }
    }

    [Fact]
    public async Task Catalogue_allowance_lets_a_host_bind_mount_through_and_what_stays_trusted_never_runs_on_the_host()
    {
        await LocalSwarm.EnsureAsync();
        var shared = Directory.CreateDirectory(Path.Combine(_ws.Root, "shared")).FullName;
        var abraShRan = Path.Combine(_ws.Root, "abra-sh-ran");
        var compose = TestRecipe.Compose(new TestRelease("1.0.0+1", "1.0.0+1") { Db = TestDb.MemoryWithDump })
            .Replace("volumes: [data:/data]", $"volumes: [data:/data, \"{shared}:/shared\"]")
            // Run on the host, this hook would find no /shared; in the db container it writes through the mount.
            .Replace("backupbot.backup.pre-hook: \"cp /run/db/rows /data/backup.sql\"",
                "backupbot.backup.pre-hook: \"cp /run/db/rows /data/backup.sql && touch /shared/pre-hook-ran\"");
        var history = new RecipeHistory([new HistoryCommit("chore: publish 1.0.0+1 release", "1.0.0+1", new Dictionary<string, string>
        {
            ["compose.yml"] = compose, [".env.sample"] = Sample,
            ["abra.sh"] = $"export EXTRA=1\ntouch {abraShRan}\nexport RAN=$(touch {abraShRan})\n",
        })]);
        await _ws.AddRecipeAsync("tballow", history, TestRecipe.MemoryDbMarker + "    allow: [host-bind-mount]\n");

        var run = await _ws.RunAsync("BackupRestore", "tballow", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("tballow", run));
        var r = _ws.Results("tballow");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.VetBase).Status);
        Assert.Equal(["host-bind-mount"], r.Allow);
        var allowed = Assert.Single(r.Allowed);
        Assert.Equal("L014", allowed.Rule);
        Assert.Contains(shared, allowed.Message);
        Assert.Contains("host-bind-mount", r.Customization["allow"]!.ToString());
        Assert.Contains("allowed by recipes.yaml", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("tballow", StageId.VetBase), "console.log")));
        Assert.True(File.Exists(Path.Combine(shared, "pre-hook-ran")), "the backup pre-hook did not run in the db container");
        Assert.False(File.Exists(abraShRan), "abra.sh was executed on the host");
        Assert.True(r.Teardown!.Clean);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Custom_checks_come_only_from_recipe_cis_own_tests_folder_never_from_the_recipe_tree()
    {
        await LocalSwarm.EnsureAsync();
        // A recipe that ships checks where Recipe CI keeps its own: in its tree they are never read.
        const string checks = "checks:\n  - name: from the recipe tree\n    exec: {service: app, command: \"false\"}\n";
        var history = new RecipeHistory([new HistoryCommit("chore: publish 1.0.0+1 release", "1.0.0+1", new Dictionary<string, string>
        {
            ["compose.yml"] = TestRecipe.Compose(new TestRelease("1.0.0+1", "1.0.0+1")), [".env.sample"] = Sample,
            ["tests/tbcust/checks.yaml"] = checks, ["checks.yaml"] = checks,
        })]);
        await _ws.AddRecipeAsync("tbcust", history);

        var run = await _ws.RunAsync("Custom", "tbcust", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("tbcust", run));
        var custom = _ws.Results("tbcust").Stages.Single(s => s.Stage == StageId.CustomChecks);
        Assert.Equal(StageStatus.Skipped, custom.Status);
        Assert.Contains(Path.Combine(_ws.Root, "tests", "tbcust"), custom.Reason);
    }

    public void Dispose() => _ws.Dispose();
}
