using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class VerdictTests
{
    private static Dictionary<Rung, RungStatus> R(params RungStatus[] s) =>
        Rungs.All.Zip(s).ToDictionary(x => x.First, x => x.Second);

    [Fact]
    public void Level_is_the_highest_pass_with_everything_below_passed_or_skipped()
    {
        const RungStatus P = RungStatus.Pass, F = RungStatus.Fail, S = RungStatus.Skip, U = RungStatus.Unverified;
        Assert.Equal(5, Rungs.Level(R(P, P, P, P, P)));
        Assert.Equal(1, Rungs.Level(R(P, F, P, P, P)));
        Assert.Equal(5, Rungs.Level(R(P, P, S, P, P)));
        Assert.Equal(2, Rungs.Level(R(P, P, U, P, P)));
        Assert.Equal(4, Rungs.Level(R(P, P, P, P, U)));
        Assert.Equal(4, Rungs.Level(R(P, P, P, P, F)));
        Assert.Equal(0, Rungs.Level(R(F, P, P, P, P)));
        Assert.Equal(0, Rungs.Level(R(U, P, P, P, P)));
        Assert.Equal(2, Rungs.Level(R(S, P, S, S, S)));
        Assert.Equal(0, Rungs.Level(R(S, S, S, S, S)));
    }

    [Fact]
    public void A_coverage_gap_holds_the_level_like_a_failure_never_like_a_pass_or_skip()
    {
        const RungStatus P = RungStatus.Pass, S = RungStatus.Skip, G = RungStatus.Gap;
        Assert.Equal(3, Rungs.Level(R(P, P, P, G, P)));
        Assert.Equal(2, Rungs.Level(R(P, P, G, P, P)));
        Assert.Equal(5, Rungs.Level(R(P, P, P, S, P)));
        Assert.Equal(0, Rungs.Level(R(G, P, P, P, P)));
    }

    [Fact]
    public void A_rung_whose_stages_skipped_for_a_coverage_gap_is_gap_and_the_verdict_stays_passed()
    {
        var r = RunVerdict.Of(
        [
            new StageResult { Name = "DeployBase", Rung = Rung.Install, Folder = "01-DeployBase", Status = StageStatus.Passed },
            new StageResult { Name = "SeedMarker", Rung = Rung.BackupRestore, Folder = "02-SeedMarker", Status = StageStatus.Skipped, CoverageGap = true },
            new StageResult { Name = "Backup", Rung = Rung.BackupRestore, Folder = "03-Backup", Status = StageStatus.Skipped },
            new StageResult { Name = "CustomChecks", Rung = Rung.Custom, Folder = "04-CustomChecks", Status = StageStatus.Skipped },
        ], Everything);
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(RungStatus.Gap, r.Rungs[Rung.BackupRestore]);
        Assert.Equal(RungStatus.Skip, r.Rungs[Rung.Custom]);
        Assert.Equal("gap", RungStatus.Gap.Word());
    }

    private static readonly IReadOnlySet<Rung> Everything = Rungs.All.ToHashSet();

    private static RunVerdict Run(params (string Name, Rung? Rung, StageStatus Status)[] stages) =>
        RunVerdict.Of(stages.Select((s, i) => new StageResult { Name = s.Name, Rung = s.Rung, Folder = $"{i + 1:00}-{s.Name}", Status = s.Status, Reason = "why" }).ToList(), Everything);

    [Fact]
    public void Verdict_is_the_first_stage_that_stopped_the_run()
    {
        var r = Run(("FetchRecipe", null, StageStatus.Passed), ("DeployBase", Rung.Install, StageStatus.Passed),
            ("AwaitHeadConvergence", Rung.Upgrade, StageStatus.RolledBack), ("HeadIdentityCheck", Rung.Upgrade, StageStatus.Unverified),
            ("Teardown", null, StageStatus.Passed));
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        Assert.StartsWith("AwaitHeadConvergence: why", r.Reason);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
    }

    [Fact]
    public void A_refused_head_is_the_verdict_fails_its_rung_and_leaves_the_rest_unverified()
    {
        var r = Run(("FetchRecipe", null, StageStatus.Passed), ("VetBase", Rung.Install, StageStatus.Passed), ("DeployBase", Rung.Install, StageStatus.Passed),
            ("VetHead", Rung.Upgrade, StageStatus.Refused), ("ChaosRedeploy", Rung.Upgrade, StageStatus.Unverified),
            ("Teardown", null, StageStatus.Passed));
        Assert.Equal(Verdict.Refused, r.Verdict);
        Assert.Equal("refused", r.Verdict.Word());
        Assert.StartsWith("VetHead: why", r.Reason);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Upgrade]);
        Assert.True(StageStatus.Refused.IsFailure());
        Assert.False(StageStatus.Refused.LetsRunContinue());
    }

    [Fact]
    public void Verdict_neutral_stage_counts_for_its_rung_only()
    {
        var r = RunVerdict.Of(
        [
            new StageResult { Name = "DeployBase", Rung = Rung.Install, Folder = "01-DeployBase", Status = StageStatus.Passed },
            new StageResult { Name = "LintRecipe", Rung = Rung.Lint, Folder = "02-LintRecipe", Status = StageStatus.Failed, Reason = "R1", VerdictNeutral = true },
            new StageResult { Name = "Teardown", Folder = "03-Teardown", Status = StageStatus.Passed },
        ], Everything);
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Lint]);
    }

    [Fact]
    public void Only_a_target_of_the_lint_rung_alone_takes_lint_as_its_verdict()
    {
        Assert.True(TargetScope.Of("Lint", new CoversAttribute(Rung.Lint)).CoversOnly(Rung.Lint));
        Assert.False(TargetScope.Of("Recipe", null).CoversOnly(Rung.Lint));
        Assert.False(TargetScope.Of("Upgrade", new CoversAttribute(Rung.Install, Rung.Upgrade)).CoversOnly(Rung.Upgrade));
        Assert.False(TargetScope.Of("Lint", new CoversAttribute(Rung.Lint)).CoversOnly(null));
    }

    [Fact]
    public void Rungs_a_partial_run_did_not_set_out_to_verify_are_unverified_and_cap_the_level()
    {
        var lint = TargetScope.Of("Lint", new CoversAttribute(Rung.Lint));
        var planned = lint.Planned(TargetPlan.Rungs(null));
        var lintOnly = RunVerdict.Of([new StageResult { Name = "LintRecipe", Rung = Rung.Lint, Folder = "02-LintRecipe", Status = StageStatus.Passed }], planned);
        Assert.Equal([Rung.Lint], planned);
        Assert.Equal(RungStatus.Unverified, lintOnly.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Pass, lintOnly.Rungs[Rung.Lint]);
        Assert.Equal(0, lintOnly.Level);
        Assert.Equal(Verdict.Passed, lintOnly.Verdict);

        var recipe = TargetScope.Of("Recipe", null);
        Assert.Equal([Rung.Install, Rung.Upgrade], recipe.Planned(TargetPlan.Rungs("upgrade")).Order());
        Assert.Equal([Rung.Lint], recipe.Planned(TargetPlan.Rungs("lint")));
    }

    [Fact]
    public void Broken_baseline_leaves_the_upgrade_unverified_and_skips_are_not_failures()
    {
        var broken = Run(("FetchRecipe", null, StageStatus.Passed), ("AwaitBaseConvergence", Rung.Install, StageStatus.BaselineBroken),
            ("ChaosRedeploy", Rung.Upgrade, StageStatus.Unverified));
        Assert.Equal(Verdict.BaselineBroken, broken.Verdict);
        Assert.Equal(RungStatus.Fail, broken.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Unverified, broken.Rungs[Rung.Upgrade]);

        var none = Run(("FetchRecipe", null, StageStatus.Passed), ("DeployBase", Rung.Install, StageStatus.Skipped),
            ("ChaosRedeploy", Rung.Upgrade, StageStatus.Skipped), ("Teardown", null, StageStatus.Skipped));
        Assert.Equal(Verdict.Passed, none.Verdict);
        Assert.Equal(RungStatus.Skip, none.Rungs[Rung.Upgrade]);
    }

    [Fact]
    public void After_a_broken_baseline_the_head_installed_cold_judges_the_install_rung_and_the_verdict_stays()
    {
        var r = Run(("FetchRecipe", null, StageStatus.Passed), ("AwaitBaseConvergence", Rung.Install, StageStatus.BaselineBroken),
            ("ChaosRedeploy", Rung.Upgrade, StageStatus.Unverified), ("ColdInstallHead", null, StageStatus.Passed),
            ("Backup", Rung.BackupRestore, StageStatus.Passed), ("CustomChecks", Rung.Custom, StageStatus.Passed), ("LintRecipe", Rung.Lint, StageStatus.Passed));
        Assert.Equal(Verdict.BaselineBroken, r.Verdict);
        Assert.StartsWith("AwaitBaseConvergence: why", r.Reason);
        Assert.Equal(RungStatus.Pass, r.Rungs[Rung.Install]);
        Assert.Equal(RungStatus.Unverified, r.Rungs[Rung.Upgrade]);
        Assert.Equal(1, r.Level);
    }

    [Fact]
    public void A_head_that_does_not_install_after_a_broken_baseline_fails_the_run_naming_both()
    {
        var r = Run(("FetchRecipe", null, StageStatus.Passed), ("AwaitBaseConvergence", Rung.Install, StageStatus.BaselineBroken),
            ("ColdInstallHead", null, StageStatus.Failed), ("Backup", Rung.BackupRestore, StageStatus.Unverified));
        Assert.Equal(Verdict.Failed, r.Verdict);
        Assert.StartsWith("AwaitBaseConvergence: why (evidence: 02-AwaitBaseConvergence/); the head did not install cold either: ColdInstallHead: why (evidence: 03-ColdInstallHead/)", r.Reason);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);

        // A harness error of the cold install is no finding on the head: the broken base stays the verdict.
        var error = Run(("AwaitBaseConvergence", Rung.Install, StageStatus.BaselineBroken), ("ColdInstallHead", null, StageStatus.Error));
        Assert.Equal(Verdict.BaselineBroken, error.Verdict);
        Assert.Equal(RungStatus.Unverified, error.Rungs[Rung.Install]);
    }

    [Fact]
    public void A_rolled_back_upgrade_whose_head_does_not_install_cold_fails_the_install_rung()
    {
        var r = Run(("DeployBase", Rung.Install, StageStatus.Passed), ("AwaitBaseHealthy", Rung.Install, StageStatus.Passed),
            ("AwaitHeadConvergence", Rung.Upgrade, StageStatus.RolledBack), ("ColdInstallHead", null, StageStatus.Failed));
        Assert.Equal(Verdict.RolledBack, r.Verdict);
        Assert.Equal(RungStatus.Fail, r.Rungs[Rung.Install]);
        Assert.Equal(0, r.Level);

        // A cold install skipped (the upgrade passed) leaves the install rung to the base's deploy.
        var green = Run(("DeployBase", Rung.Install, StageStatus.Passed), ("AwaitHeadConvergence", Rung.Upgrade, StageStatus.Passed), ("ColdInstallHead", null, StageStatus.Skipped));
        Assert.Equal(RungStatus.Pass, green.Rungs[Rung.Install]);
    }
}
