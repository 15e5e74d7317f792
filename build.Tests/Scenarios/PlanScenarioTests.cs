using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>The Plan target: what a full run would do, resolved from the fetched tree, with the swarm untouched.</summary>
public sealed class PlanScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>
    /// A recipe shaped like real ones: its database comes from an overlay in a subfolder that
    /// <c>.env.sample</c>'s <c>COMPOSE_FILE</c> enables, and a config's version from <c>abra.sh</c>.
    /// </summary>
    private static RecipeHistory Shaped(string version, string? tag) => new([new HistoryCommit($"release {version}", tag, new Dictionary<string, string>
    {
        ["compose.yml"] = $$"""
            version: "3.8"
            services:
              app:
                image: recipe-ci/busybox:1
                depends_on: [db]
                configs:
                  - source: entrypoint
                    target: /entrypoint.sh
                secrets: [api_key]
                deploy:
                  labels:
                    - "coop-cloud.${STACK_NAME}.version={{version}}"
            configs:
              entrypoint:
                name: ${STACK_NAME}_entrypoint_${ENTRYPOINT_VERSION}
                file: entrypoint.sh
            secrets:
              api_key:
                external: true
                name: ${STACK_NAME}_api_key_${SECRET_API_KEY_VERSION}
            """,
        ["postgres/compose.postgres.yml"] = """
            version: "3.8"
            services:
              db:
                image: recipe-ci/busybox:1
            """,
        ["entrypoint.sh"] = "#!/bin/sh\nexec \"$@\"\n",
        ["abra.sh"] = "export ENTRYPOINT_VERSION=v7\n",
        [".env.sample"] = "TYPE=shaped\nDOMAIN=shaped.example.com\nCOMPOSE_FILE=\"compose.yml:postgres/compose.postgres.yml\"\nSECRET_API_KEY_VERSION=v2\n",
    })]);

    [Fact]
    public async Task Plan_resolves_what_a_deploy_would_use_and_leaves_the_swarm_alone()
    {
        var history = new RecipeHistory([.. Shaped("1.0.0+1", "1.0.0+1").Commits, .. Shaped("1.1.0+2", null).Commits]);
        await _ws.AddRecipeAsync("shaped", history);

        var run = await _ws.RunAsync("Plan", "shaped");

        Assert.True(run.ExitCode == 0, _ws.Explain("shaped", run));
        var r = _ws.Results("shaped");
        Assert.Equal(Verdict.Passed, r.Verdict);
        var planFile = Directory.GetFiles(r.Evidence, PlanSummary.FileName, SearchOption.AllDirectories).Single();
        var plan = JsonConvention.Read<DeployPlan>(planFile);
        Assert.Equal("1.1.0+2", plan.HeadVersion);
        Assert.Equal("1.0.0+1", plan.Base);
        Assert.Equal(FirstDeploy.Base, plan.FirstDeploy);
        Assert.Equal(["compose.yml", "postgres/compose.postgres.yml"], plan.ComposeFiles);
        Assert.Equal(["app", "db"], plan.Services);
        Assert.Equal([new PlannedSecret("api_key", "v2", $"{r.Stack}_api_key_v2")], plan.Secrets);
        Assert.Equal([new PlannedConfig("entrypoint", $"{r.Stack}_entrypoint_v7")], plan.Configs);
        Assert.Contains($"{r.Stack}_entrypoint_v7", run.Output);
        // A plan tested nothing: its console ends with what a Recipe run would do and its page, with no verdict.
        var last = run.Output.TrimEnd().Split('\n')[^3..].Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith($"Plan: a Recipe run of shaped at {plan.Head[..12]} (1.1.0+2) would deploy the base 1.0.0+1, then upgrade it to the head; rungs: ", last[0]);
        Assert.Equal($"Plan file: {planFile}", last[1]);
        Assert.StartsWith("Report: ", last[2]);
        Assert.DoesNotContain("Verdict:", run.Output);
        // Nothing was deployed, and no lock was taken for a run that deploys nothing.
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        Assert.False(Directory.Exists(_ws.LockDir) && Directory.EnumerateFiles(_ws.LockDir).Any());
    }

    public void Dispose() => _ws.Dispose();
}
