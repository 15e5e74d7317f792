using RecipeCi.Checks;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The recipe's own checks, every one of which passed.</summary>
public sealed record CheckResults(IReadOnlyList<CheckResult> Checks);

/// <summary>
/// CustomChecks: the recipe's own checks from <c>tests/&lt;recipe&gt;/</c> (declarative
/// <c>checks.yaml</c> and executable scripts), against the deployed app. Every check runs, even
/// after one fails, and each is its own JUnit testcase.
/// </summary>
public static class CustomChecks
{
    public static string Folder(RecipeRun run) => Path.Combine(run.CatalogDirectory, "tests", run.Entry.Name);

    /// <summary>Runs every check; null (skipped) when the recipe has none.</summary>
    public static async Task<CheckResults?> RunAsync(RecipeRun run, RunPlan plan, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var checks = CheckReader.ReadFolder(Folder(run));
        if (checks.Count == 0)
        {
            stage.Gap($"no custom checks: {Folder(run)} has no checks.yaml and no executable " +
                $"(declare not_applicable: {{custom: why}} for {run.Entry.Name} in recipes.yaml if none apply)");
            return null;
        }
        var target = new CheckTarget(run.Entry.Name, plan.Domain, plan.Stack, run.AppEnv(plan).Project(plan.Stack).Services.Select(s => s.Name).ToList(), Path.Combine(stage.Directory, "checks"));
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
        return new CheckResults([.. stage.Checks]);
    }
}
