using RecipeCi.Context;
using RecipeCi.Lifecycle;
using RecipeCi.Lint;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>The console's closing lines: each target ends with its own answer.</summary>
public sealed class RunSummaryTests
{
    private static RunResult Run(string mode, Verdict verdict, string? reason = null, params StageResult[] stages) =>
        new() { Recipe = "hello", Mode = mode, Verdict = verdict, Reason = reason, Evidence = "/a/runs/r1/hello", Stages = [.. stages] };

    private static List<string> Closing(RunResult r, RunResults found) => RunSummary.Closing(r, found).Select(l => l.Text).ToList();

    private static readonly DeployPlan Plan = new("hello", "3f2a9c1d0e7b5a6c", "1.1.0+2", "1.0.0+1", "the newest release tag before the head", FirstDeploy.Base,
        ["compose.yml"], ["app"], [], [], [Rung.Install, Rung.Upgrade, Rung.Lint], "hell-3f2a9c.ci.local", "hell-3f2a9c_ci_local", new Dictionary<string, object?>());

    [Fact]
    public void A_plan_ends_with_what_a_Recipe_run_would_do_its_plan_file_and_its_page_and_no_verdict()
    {
        var r = Run("plan", Verdict.Passed, null,
            new StageResult { Name = "FetchRecipe", Folder = "01-FetchRecipe", Status = StageStatus.Passed },
            new StageResult { Name = "PlanSummary", Folder = "02-PlanSummary", Status = StageStatus.Passed });
        Assert.Equal([
            "Plan: a Recipe run of hello at 3f2a9c1d0e7b (1.1.0+2) would deploy the base 1.0.0+1, then upgrade it to the head; rungs: install, upgrade, lint",
            "Plan file: /a/runs/r1/hello/02-PlanSummary/plan.json",
            "Report: /a/runs/r1/hello/report.html"], Closing(r, RunResults.None with { DeployPlan = Plan }));
        Assert.DoesNotContain(RunSummary.Lines(r).Concat(Closing(r, RunResults.None with { DeployPlan = Plan })), l => l.Contains("Verdict", StringComparison.Ordinal) || l.Contains("rungs: install=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plan_that_was_not_made_says_so_and_why_without_a_level()
    {
        var r = Run("plan", Verdict.Failed, "FetchRecipe: ref 'x' is not in /r");
        Assert.Equal("Plan: not made (failed) - FetchRecipe: ref 'x' is not in /r", Closing(r, RunResults.None)[0]);
    }

    [Fact]
    public void A_lint_ends_with_its_findings_or_why_it_has_none_and_a_judging_run_with_its_verdict_and_level()
    {
        var lint = new LintReport("hello", "3f2a9c1d0e7b", [], [
            new LintFinding("L011", "privileged", LintSeverity.Error, "compose.yml", 7, "privileged: true", "remove it"),
            new LintFinding("L004", "healthcheck", LintSeverity.Warning, "compose.yml", 3, "no healthcheck", "add one")], AbraLintRun.NotRun("local driver"));
        Assert.Equal("Lint: FAILED, 1 error(s), 1 warning(s) - LintRecipe: 1 lint error(s): L011 privileged",
            Closing(Run("lint", Verdict.Failed, "LintRecipe: 1 lint error(s): L011 privileged"), RunResults.None with { Lint = lint })[0]);
        Assert.Equal("Lint: FAILED - FetchRecipe: ref 'x' is not in /r", Closing(Run("lint", Verdict.Failed, "FetchRecipe: ref 'x' is not in /r"), RunResults.None)[0]);
        Assert.Equal(["Verdict: PASSED, level L0", "Evidence: /a/runs/r1/hello/ (results.json, junit.xml, timeline.json, one folder per stage)", "Report: /a/runs/r1/hello/report.html"],
            Closing(Run("recipe", Verdict.Passed), RunResults.None with { Lint = lint }));
    }
}
