using RecipeCi.Bridge;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>Bad input ends with a non-zero exit and one clear message, before anything is deployed.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Workspace _ws = new();

    private static int Lines(string output, string text) => output.Split('\n').Count(l => l.Contains(text));

    /// <summary>The output of an Upgrade run of <paramref name="recipe"/> under a catalogue that must be refused as bad input (exit 2).</summary>
    private async Task<string> CatalogueErrorAsync(string catalogue, string recipe)
    {
        await File.WriteAllTextAsync(_ws.Catalog, catalogue);
        var run = await _ws.RunAsync("Upgrade", recipe);
        Assert.Equal(2, run.ExitCode);
        return run.Output;
    }

    [Fact]
    public async Task Unknown_recipe_names_the_catalogue_and_the_enrolled_recipes()
    {
        await File.WriteAllTextAsync(_ws.Catalog, "recipes:\n  hello:\n    repository: /nowhere\n");
        var run = await _ws.RunAsync("Upgrade", "nosuch");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(1, Lines(run.Output, "unknown recipe 'nosuch'"));
        Assert.Contains("enrols hello", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "runs")) && Directory.EnumerateFiles(_ws.Artifacts, "results.json", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task A_browser_probe_in_the_catalogue_is_bad_input_naming_where_browser_checks_go()
    {
        var output = await CatalogueErrorAsync("recipes:\n  hello:\n    repository: /x\n    probes:\n      - browser: {steps: [{goto: /}]}\n", "hello");
        Assert.Equal(1, Lines(output, $"{_ws.Catalog}:5: recipes.hello.probes[0].browser: a browser check is not a probe"));
        Assert.Contains("Fix: move it to tests/hello/checks.yaml", output);
    }

    [Fact]
    public async Task Malformed_catalogue_names_file_line_key_and_fix()
    {
        var output = await CatalogueErrorAsync("recipes:\n  hello:\n    repository: /x\n    timeouts: {deploy: soon}\n", "hello");
        Assert.Equal(1, Lines(output, $"{_ws.Catalog}:4: recipes.hello.timeouts.deploy: expected a whole number"));
        Assert.Contains("Fix:", output);
    }

    [Fact]
    public async Task Unknown_key_in_catalogue_is_an_error_not_ignored()
    {
        var output = await CatalogueErrorAsync("recipes:\n  hello:\n    repository: /x\n    helth: {path: /}\n", "hello");
        Assert.Contains("recipes.hello.helth: unknown key", output);
    }

    [Fact]
    public async Task Unknown_rule_in_allow_is_a_catalogue_error_naming_file_key_and_the_rules()
    {
        var output = await CatalogueErrorAsync("recipes:\n  tbal:\n    repository: /x\n    allow: [docker-sock]\n", "tbal");
        Assert.Equal(1, Lines(output, $"{_ws.Catalog}:4: recipes.tbal.allow: 'docker-sock' is not a rule of the trust boundary"));
        Assert.Contains("Fix: name rules of the trust boundary: docker-socket, host-root-mount", output);
    }

    [Fact]
    public async Task Unknown_target_and_unknown_option_are_usage_errors()
    {
        var target = await Harness.RunAsync(["--target=Upgarde"]);
        Assert.Equal(2, target.ExitCode);
        Assert.Equal(1, Lines(target.Output, "unknown target 'Upgarde'"));
        var option = await Harness.RunAsync(["--target=Upgrade", "--recipie=hello"]);
        Assert.Equal(2, option.ExitCode);
        Assert.Equal(1, Lines(option.Output, "unknown option --recipie"));
        var value = await Harness.RunAsync(["--target=Upgrade", "--abra=maybe"]);
        Assert.Equal(2, value.ExitCode);
        Assert.Contains("--abra must be auto, cli or local", value.Output);
    }

    [Fact]
    public async Task A_repository_path_that_does_not_exist_is_bad_input_before_any_run_folder()
    {
        var output = await CatalogueErrorAsync("recipes:\n  gone:\n    repository: ./gone\n", "gone");
        Assert.Equal(1, Lines(output, $"{_ws.Catalog}:3: recipes.gone.repository: {Path.Combine(_ws.Root, "gone")} does not exist. Fix: "));
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "runs")), "a run folder was made for bad input");
    }

    /// <summary>
    /// The bridge's two commands (as .drone.yml's pipeline and --runner=local run them): the Recipe
    /// run stops at bad input with no run folder, and Publish --post tells the PR what it said, redacted,
    /// writing its files beside the kept message; the janitor prunes them past its retention.
    /// </summary>
    [Fact]
    public async Task A_bridge_run_that_ends_as_bad_input_posts_its_message_redacted_and_an_error_status()
    {
        const string sha = "38e5da74bccde114a035f4327e5826081e006a90";
        using var forge = new FakeForge();
        forge.AddPull("coop/gone", 7, sha);
        // The forge token in the path stands for any secret value the message could carry.
        await File.WriteAllTextAsync(_ws.Catalog, $"recipes:\n  gone:\n    forge: coop/gone\n    repository: ./gone-{forge.GiteaToken}\n");
        var runId = Workspace.NewRunId("gone");

        var run = await Harness.RunAsync(_ws.Args("Recipe", "gone", runId, "--pr=7", $"--ref={sha}"));
        Assert.Equal(2, run.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "runs")), "a run folder was made for bad input");
        var publish = await Harness.RunAsync(
            [$"--target=Publish", "--recipe=gone", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}", $"--run-id={runId}", "--pr=7", $"--ref={sha}",
             "--post", $"--forge-url={forge.Url}", $"--bot={forge.Bot}"],
            new Dictionary<string, string?> { [BridgeOptions.ForgeTokenVariable] = forge.GiteaToken });
        Assert.True(publish.ExitCode == 0, publish.Output);
        // Publish's files stay beside the kept message: a run that never began gets no run folder.
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "runs")), "Publish made a run folder for bad input");
        var kept = Path.Combine(BadInputRecord.Root(_ws.Artifacts), runId);
        Assert.Equal(["gone.commit-status.json", "gone.pr-comment.md", "gone.txt"], Directory.EnumerateFiles(kept).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("ERROR, no verdict: bad input", await File.ReadAllTextAsync(Path.Combine(kept, "gone.pr-comment.md")));

        var comment = Assert.Single(forge.CommentsOn("coop/gone", 7)).Body;
        Assert.Contains("### Recipe CI: gone ERROR, no verdict: bad input", comment);
        Assert.Contains($"{_ws.Catalog}:4: recipes.gone.repository: {Path.Combine(_ws.Root, "gone-")}[REDACTED] does not exist. Fix: point it at a git repository", comment);
        Assert.DoesNotContain(forge.GiteaToken, comment);
        var status = Assert.Single(forge.Statuses);
        Assert.Equal(("error", sha), (status.State, status.Sha));
        Assert.StartsWith($"bad input: {_ws.Catalog}:4: recipes.gone.repository", status.Description);
        Assert.DoesNotContain(forge.GiteaToken, status.Description);

        // The janitor keeps the folder within --retention-days of its last write, then prunes it whole.
        Assert.Empty(Assert.Single(await Scenario.JanitorsAsync(_ws, 1, "--retention-days=2")).Pruned);
        foreach (var file in Directory.EnumerateFiles(kept)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-3));
        Assert.Equal([kept], Assert.Single(await Scenario.JanitorsAsync(_ws, 1, "--retention-days=2")).Pruned);
        Assert.False(Directory.Exists(kept), "the janitor left a bad-input folder past the retention");
    }

    [Fact]
    public async Task Missing_base_tag_fails_fetch_with_the_tags_that_exist()
    {
        await _ws.AddRecipeAsync("tagm", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var run = await _ws.RunAsync("Upgrade", "tagm", "--base=0.9.0+0", "--abra=local");
        Assert.True(run.ExitCode == 1, _ws.Explain("tagm", run));
        var r = _ws.Results("tagm");
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.Contains("base '0.9.0+0' is not a release tag of the recipe (tags: 1.0.0+1)", r.Reason);
        Assert.Equal(1, Lines(run.Output, "FetchRecipe: failed: base '0.9.0+0'"));
    }

    [Fact]
    public async Task No_target_lists_the_targets()
    {
        var run = await Harness.RunAsync([]);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, (await Harness.RunAsync(["--recipe=hello"])).ExitCode);   // asked for something, but no target to do it
        Assert.Contains("Upgrade", run.Output);
        Assert.Contains("Bootstrap", run.Output);
        Assert.Contains("--recipe", run.Output);
    }

    public void Dispose() => _ws.Dispose();
}
