using RecipeCi.Checks;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// CustomChecks: the recipe's own checks from <c>tests/&lt;recipe&gt;/</c> (declarative
/// <c>checks.yaml</c> and executable scripts), against the deployed app. Every check runs, even
/// after one fails, and each is its own JUnit testcase.
/// </summary>
public static class CustomChecks
{
    public static string Folder(RecipeRun run) => Path.Combine(run.CatalogDirectory, "tests", run.Entry.Name);

    public static async Task RunAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var checks = CheckReader.ReadFolder(Folder(run));
        if (checks.Count == 0)
        {
            stage.Skip($"no custom checks: {Folder(run)} has no checks.yaml and no executable");
            return;
        }
        var services = AppDeployer.ComposeFiles(run).SelectMany(c => c.Services.Select(s => s.Name)).Distinct().ToList();
        var target = new CheckTarget(run.Entry.Name, run.Domain, run.Stack, services, Path.Combine(stage.Directory, "checks"));
        var runner = new CheckRunner(run.Docker, run.Runner);
        foreach (var check in checks)
        {
            var result = await runner.RunAsync(check, target, ct);
            stage.Checks.Add(result);
            stage.Log($"{(result.Passed ? "PASS" : "FAIL")} {check.Name}: {result.Detail}");
        }
        var failed = stage.Checks.Where(c => !c.Passed).ToList();
        if (failed.Count > 0)
            throw new StageFailure(StageStatus.Failed,
                $"{failed.Count} of {stage.Checks.Count} custom checks failed: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Detail}"))}");
        stage.Log($"all {stage.Checks.Count} custom checks passed");
    }
}
