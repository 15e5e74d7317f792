using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The real-abra adapter, exercised against a real process: an <c>abra</c> on PATH that records
/// its arguments and delegates to the local driver. It can also move the recipe tree's HEAD just
/// before the chaos deploy, as a concurrent run sharing the tree once did.
/// </summary>
public sealed class CliAdapterTests : IDisposable
{
    private readonly Workspace _ws = new();

    private async Task<(string Bin, string Log)> FakeAbraAsync(string recipe, string? moveHeadTo = null)
    {
        var bin = Path.Combine(_ws.Root, "bin");
        Directory.CreateDirectory(bin);
        var log = Path.Combine(_ws.Root, "abra-calls.log");
        var script = Path.Combine(bin, "abra");
        // The deploy gets a cleaned environment, so what the fake needs is written into it, not passed as variables.
        await File.WriteAllTextAsync(script, $$"""
            #!/usr/bin/env bash
            echo "$*" >> "{{log}}"
            if [ "$1 $2" = "app deploy" ]; then
              env | cut -d= -f1 | sort > "{{log}}.deploy-env"
              if [ -n "{{moveHeadTo}}" ]; then
                for a in "$@"; do
                  if [ "$a" = "--chaos" ]; then
                    git -C "$ABRA_DIR/recipes/{{recipe}}" checkout --quiet --force --detach "{{moveHeadTo}}"
                  fi
                done
              fi
            fi
            exec dotnet "{{Harness.Dll}}" abra "$@"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (bin, log);
    }

    /// <summary>A variable of the CI host's own that no deploy may see.</summary>
    private const string HostOnly = "RECIPE_CI_HOST_ONLY_TOKEN";

    private Task<HarnessResult> RunWithFakeAbraAsync(string recipe, string bin) =>
        Harness.RunAsync([$"--target=Upgrade", $"--recipe={recipe}", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}",
            $"--lock-dir={_ws.LockDir}", "--abra=cli", $"--run-id={recipe}"],
            new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), [HostOnly] = "not for a recipe" });

    [Fact]
    public async Task Upgrade_through_the_abra_cli_passes_with_the_flags_abra_expects()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("clig", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var (bin, log) = await FakeAbraAsync("clig");

        var run = await RunWithFakeAbraAsync("clig", bin);

        Assert.True(run.ExitCode == 0, _ws.Explain("clig", run));
        var r = _ws.Results("clig");
        Assert.Equal("cli", r.Driver);
        var calls = await File.ReadAllLinesAsync(log);
        Assert.Contains($"app new clig 1.0.0+1 --server local --domain {r.AppDomain} --no-input --offline", calls);
        Assert.Contains($"app secret generate {r.AppDomain} --all --no-input --offline", calls);
        Assert.Contains($"app deploy {r.AppDomain} 1.0.0+1 --no-converge-checks --force --no-domain-checks --no-input --offline", calls);
        Assert.Contains($"app deploy {r.AppDomain} --chaos --no-converge-checks --force --no-domain-checks --no-input --offline", calls);
        // Teardown removes services and kills containers with docker (no graceful stops), then lets abra remove the rest.
        Assert.DoesNotContain(calls, c => c.StartsWith("app undeploy", StringComparison.Ordinal));
        Assert.Contains($"app volume remove {r.AppDomain} --force --no-input --offline", calls);
        Assert.Contains($"app remove {r.AppDomain} --force --no-input --offline", calls);
        // The deploy sees the engine's variables and its ABRA_DIR, none of the CI host's own.
        var deployEnv = await File.ReadAllLinesAsync(log + ".deploy-env");
        Assert.Contains("ABRA_DIR", deployEnv);
        Assert.Contains("PATH", deployEnv);
        Assert.DoesNotContain(HostOnly, deployEnv);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Chaos_deploy_that_stamps_another_commit_turns_HC1_red_with_found_and_expected()
    {
        await LocalSwarm.EnsureAsync();
        var repo = await _ws.AddRecipeAsync("clis", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var head = await _ws.GitAsync(repo, "rev-parse", "HEAD");
        var baseCommit = await _ws.GitAsync(repo, "rev-parse", "1.0.0+1^{commit}");
        var (bin, _) = await FakeAbraAsync("clis", moveHeadTo: "1.0.0+1");

        var run = await RunWithFakeAbraAsync("clis", bin);

        Assert.True(run.ExitCode == 1, _ws.Explain("clis", run));
        var r = _ws.Results("clis");
        Assert.Equal(Verdict.Failed, r.Verdict);
        var hc1 = r.Stages.Single(s => s.Stage == StageId.HeadIdentityCheck);
        Assert.Equal(StageStatus.Failed, hc1.Status);
        Assert.Contains($"is '{baseCommit[..8]}'", hc1.Reason);                     // found
        Assert.Contains($"expected a stamp of the head {head[..12]}", hc1.Reason);  // expected
        Assert.Contains($"recipe tree is at {baseCommit[..12]} now, not at the head", hc1.Reason); // what else is known
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.AwaitHeadConvergence).Status);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
