using Newtonsoft.Json.Linq;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The Lint target as a real process: there lint is all the run judges, so an error finding makes
/// the verdict failed and the exit code 1, as any linter's; inside Recipe lint costs the lint rung only.
/// </summary>
public sealed class LintScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    private const string PrivilegedAgent = """
          agent:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 1; done"]
            privileged: true
            healthcheck:
              test: ["CMD", "true"]
        """;

    private string LintStageFile(string recipe, string file) =>
        Path.Combine(_ws.RunDir(recipe), _ws.Results(recipe).Stages.Single(s => s.Stage == StageId.LintRecipe).Folder, file);

    [Fact]
    public async Task Clean_recipe_passes_the_lint_rung_without_a_deploy()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("lintc", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));

        var run = await _ws.RunAsync("Lint", "lintc", "--abra=local");

        Assert.True(run.ExitCode == 0, run.Output);
        var r = _ws.Results("lintc");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(["FetchRecipe", "LintRecipe", "Teardown"], r.Stages.Select(s => s.Name));
        Assert.Equal(StageStatus.Passed, r.Stages.Single(s => s.Stage == StageId.LintRecipe).Status);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Lint]);
        var lint = JObject.Parse(await File.ReadAllTextAsync(LintStageFile("lintc", "lint.json")));
        Assert.Empty((JArray)lint["findings"]!);
        Assert.Contains("abra recipe lint not run: the run uses the local driver (--abra=local)", await File.ReadAllTextAsync(LintStageFile("lintc", "lint.txt")));
        Assert.StartsWith("Lint: PASSED, 0 error(s), 0 warning(s)", run.Output.TrimEnd().Split('\n')[^3]);
    }

    [Fact]
    public async Task Privileged_service_fails_the_Lint_target_with_exit_code_1()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("lintp", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { ExtraServices = PrivilegedAgent }));

        var run = await _ws.RunAsync("Lint", "lintp", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("lintp", run));
        var r = _ws.Results("lintp");
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.StartsWith("LintRecipe: 1 lint error(s): L011 privileged", r.Reason);
        Assert.StartsWith("Lint: FAILED - LintRecipe: 1 lint error(s): L011 privileged", run.Output.TrimEnd().Split('\n')[^3]);
        var stage = r.Stages.Single(s => s.Stage == StageId.LintRecipe);
        Assert.Equal(StageStatus.Failed, stage.Status);
        Assert.False(stage.VerdictNeutral);
        // Lint deploys nothing, so it takes no lock and has nothing to tear down.
        Assert.Equal(StageStatus.Skipped, r.Stages.Single(s => s.Stage == StageId.Teardown).Status);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Lint]);
        var line = TestRecipe.Compose(new TestRelease("1.0.0+1") { ExtraServices = PrivilegedAgent }).Split('\n')
            .Select((text, i) => (text, i)).Single(l => l.text.Contains("privileged: true")).i + 1;
        Assert.Contains($"1 lint error(s): L011 privileged at compose.yml:{line}", stage.Reason);
        var finding = Assert.Single((JArray)JObject.Parse(await File.ReadAllTextAsync(LintStageFile("lintp", "lint.json")))["findings"]!);
        Assert.Equal("error", (string?)finding["severity"]);
        Assert.Equal(line, (int?)finding["line"]);
        // The release commit is tested, and it declares its own release: L007 has nothing to say.
        Assert.Contains("release tags on this commit: 1.0.0+1", await File.ReadAllTextAsync(LintStageFile("lintp", "lint.txt")));
    }

    [Fact]
    public async Task Abra_recipe_lint_runs_on_a_terminal_and_its_table_is_parsed()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("linta", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var bin = Path.Combine(_ws.Root, "bin");
        Directory.CreateDirectory(bin);
        var abra = Path.Combine(bin, "abra");
        // Draws the table only on a terminal and only for a clone at the tested head, as abra lints $ABRA_DIR/recipes/<recipe>.
        await File.WriteAllTextAsync(abra, """
            #!/usr/bin/env bash
            [ "$1 $2 $3 $5" = "recipe lint -n --offline" ] || { echo "FATA unexpected call: $*"; exit 1; }
            [ -t 1 ] || { echo "FATA not a terminal"; exit 1; }
            head=$(git -C "$ABRA_DIR/recipes/$4" rev-parse HEAD) || exit 1
            [ "$head" = "$EXPECTED_HEAD" ] || { echo "FATA linting $head"; exit 1; }
            printf '\e[1m┌──────┬────────────────────────────────┬──────────┬───────────┬─────────┬────────────────────────┐\e[0m\n'
            printf '│ REF  │ RULE                           │ SEVERITY │ SATISFIED │ SKIPPED │ RESOLVE                │\n'
            printf '├──────┼────────────────────────────────┼──────────┼───────────┼─────────┼────────────────────────┤\n'
            printf '│ R001 │ compose config has expected    │ warning  │ yes       │ no      │                        │\n'
            printf '│      │ version                        │          │           │         │                        │\n'
            printf '│ R014 │ only annotated tags used for   │ error    │ no        │ no      │ replace lightweight    │\n'
            printf '│      │ recipe version                 │          │           │         │ tags with annotated    │\n'
            printf '└──────┴────────────────────────────────┴──────────┴───────────┴─────────┴────────────────────────┘\n'
            """);
        File.SetUnixFileMode(abra, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var head = await _ws.GitAsync(Path.Combine(_ws.Root, "repos", "linta"), "rev-parse", "HEAD");

        var run = await Harness.RunAsync(["--target=Lint", "--recipe=linta", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}",
            $"--lock-dir={_ws.LockDir}", "--abra=cli", "--run-id=linta"],
            new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["EXPECTED_HEAD"] = head });

        Assert.True(run.ExitCode == 1, _ws.Explain("linta", run));
        var r = _ws.Results("linta");
        Assert.Equal(Verdict.Failed, r.Verdict);
        var stage = r.Stages.Single(s => s.Stage == StageId.LintRecipe);
        Assert.Equal(StageStatus.Failed, stage.Status);
        Assert.Contains("R014 only annotated tags used for recipe version at abra recipe lint", stage.Reason);
        var lint = JObject.Parse(await File.ReadAllTextAsync(LintStageFile("linta", "lint.json")));
        Assert.Equal(2, ((JArray)lint["abra"]!["rows"]!).Count);
        var finding = Assert.Single((JArray)lint["findings"]!);
        Assert.Equal("replace lightweight tags with annotated", (string?)finding["fix"]);
    }

    [Fact]
    public async Task Inside_Recipe_a_lint_error_costs_the_lint_rung_only()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("lintr", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1") { ExtraServices = PrivilegedAgent }));

        // --stages=lint: the Recipe target without a deploy, so only lint can fail.
        var run = await _ws.RunAsync("Recipe", "lintr", "--abra=local", "--stages=lint");

        Assert.True(run.ExitCode == 0, _ws.Explain("lintr", run));
        var r = _ws.Results("lintr");
        Assert.Equal(Verdict.Passed, r.Verdict);
        var stage = r.Stages.Single(s => s.Stage == StageId.LintRecipe);
        Assert.Equal(StageStatus.Failed, stage.Status);
        Assert.True(stage.VerdictNeutral);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Lint]);
    }

    public void Dispose() => _ws.Dispose();
}
