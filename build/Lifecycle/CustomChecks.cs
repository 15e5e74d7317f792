using RecipeCi.Checks;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The recipe's own checks, every one of which passed.</summary>
public sealed record CheckResults(IReadOnlyList<CheckResult> Checks);

/// <summary>
/// CustomChecks and its earlier moments (CustomChecksAfterInstall, -AfterUpgrade, -AfterRestore):
/// the recipe's own checks from <c>tests/&lt;recipe&gt;/</c> (declarative <c>checks.yaml</c> and
/// executable scripts) against the deployed app, each at the moment its <c>after:</c> names. Every
/// check of a moment runs, even after one fails, and each is its own JUnit testcase.
/// </summary>
public sealed class CustomChecks(RecipeEntry entry, RunFolders folders, CheckRunner checkRunner, VisitorRoute route)
{
    /// <summary>Every check of the recipe in Recipe CI's <c>tests/&lt;recipe&gt;/</c>, at whatever moment; its provision hooks are no checks.</summary>
    public IReadOnlyList<CheckSpec> All() => CheckReader.ReadFolder(folders.Tests, entry.Depends.Select(d => d.Provision));

    /// <summary>
    /// Whether any check runs at <paramref name="moment"/>. An unreadable checks.yaml says yes: the
    /// stage then runs and fails naming the file, the key and the fix.
    /// </summary>
    public bool AnyAt(CheckMoment moment)
    {
        try { return All().Any(c => c.After == moment); }
        catch (ConfigException) { return true; }
    }

    /// <summary>Runs every check of the moment; null (skipped) when there is none.</summary>
    /// <param name="dependencies">The apps the recipe needs, installed (null for a recipe without <c>depends:</c>): a browser check may go to their domains.</param>
    /// <param name="head">The head's vetting, when it ran: the hooks may have given check values again there.</param>
    public async Task<CheckResults?> RunAsync(RunPlan plan, InstalledDependencies? dependencies, VettedHead? head, StageRecorder stage, CheckMoment moment, CancellationToken ct)
    {
        var all = All();
        if (all.Count == 0)
        {
            stage.Gap($"no custom checks: {folders.Tests} has no checks.yaml and no executable " +
                $"(declare not_applicable: {{custom: why}} for {entry.Name} in recipes.yaml if none apply)");
            return null;
        }
        var checks = all.Where(c => c.After == moment).ToList();
        if (checks.Count == 0)
        {
            stage.Skip($"no custom check runs {When(moment)}: {string.Join(", ", all.GroupBy(c => c.After).Select(g => $"{g.Count()} {When(g.Key)}"))}");
            return null;
        }
        var values = CheckValues(dependencies, head);
        var target = new CheckTarget(entry.Name, plan.Domain, plan.Stack, folders.AppEnv(plan).Project(plan.Stack).Services.Select(s => s.Name).ToList(), Path.Combine(stage.Directory, "checks"))
            { Values = values };
        var version = DeployedVersion(plan, moment);
        foreach (var check in checks)
        {
            if (check.OutOfRange(version) is { } why)
            {
                stage.Checks.Add(CheckResult.Skip(check.Name, why));
                stage.Log($"SKIP {check.Name}: {why}");
                continue;
            }
            var result = check is BrowserCheck browser
                ? await BrowseAsync(browser, plan, dependencies?.Apps ?? [], stage, target, ct)
                : await checkRunner.RunAsync(check, target, ct);
            stage.Checks.Add(result);
            stage.Log($"{(result.Passed ? "PASS" : "FAIL")} {check.Name}: {result.Detail}");
        }
        var failed = stage.Checks.Where(c => c.Failed).ToList();
        if (failed.Count > 0)
            throw new StageFailure(StageStatus.Failed,
                $"{failed.Count} of {stage.Checks.Count} custom checks{Of(moment)} failed: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Detail}"))}");
        var skipped = stage.Checks.Count(c => c.Skipped);
        stage.Log($"all {stage.Checks.Count - skipped} custom checks{Of(moment)} that apply to {version?.Text ?? "this version"} passed{(skipped == 0 ? "" : $", {skipped} skipped")}");
        return new CheckResults([.. stage.Checks]);
    }

    /// <summary>A browser check's result, naming its screenshots by their place in the stage's folder (the run page shows them).</summary>
    private async Task<CheckResult> BrowseAsync(BrowserCheck check, RunPlan plan, IReadOnlyList<InstalledDependency> dependencies, StageRecorder stage, CheckTarget target, CancellationToken ct)
    {
        var outcome = await route.BrowseAsync(check, plan, dependencies, target.Values, Path.Combine(target.LogFolder, CheckFolder(check)), ct);
        return outcome.Result with { Screenshots = [.. outcome.Screenshots.Select(s => Path.GetRelativePath(stage.Directory, s))] };
    }

    /// <summary>
    /// What the provision hooks gave for the checks (<c>check NAME VALUE</c>): at the Dependencies
    /// stage, then again for the head's new keys, whose value wins (a hook that made a new test user).
    /// </summary>
    public static IReadOnlyDictionary<string, string> CheckValues(InstalledDependencies? dependencies, VettedHead? head) =>
        (dependencies?.Provisioned ?? Provisioned.Nothing).With(head?.Provisioned ?? Provisioned.Nothing).Checks;

    /// <summary>
    /// The recipe version the moment's checks meet: the base release after the first deploy of an
    /// upgrade run, the head at every other moment.
    /// </summary>
    public static RecipeVersion? DeployedVersion(RunPlan plan, CheckMoment moment) =>
        moment == CheckMoment.Install && plan.FirstDeploy == FirstDeploy.Base ? plan.Base.Tag?.Version : plan.HeadVersion;

    /// <summary>A browser check's folder under the stage's checks/: its name as a file name.</summary>
    public static string CheckFolder(BrowserCheck check) =>
        string.Concat(check.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));

    /// <summary>"at the end", "after upgrade": how a moment reads in a sentence.</summary>
    public static string When(CheckMoment moment) => moment == CheckMoment.End ? "at the end" : $"after {moment.Word()}";

    /// <summary>The moment after a count of checks: nothing for the default, " after upgrade" for the others.</summary>
    private static string Of(CheckMoment moment) => moment == CheckMoment.End ? "" : " " + When(moment);
}
