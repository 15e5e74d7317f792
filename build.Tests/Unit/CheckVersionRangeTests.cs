using RecipeCi.Lifecycle;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>Checks tied to recipe versions with <c>from:</c> and <c>until:</c> in checks.yaml.</summary>
public sealed class CheckVersionRangeTests
{
    private static List<CheckSpec> ReadChecks(string yaml)
    {
        var folder = Directory.CreateTempSubdirectory("recipe-ci-range-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "checks.yaml"), yaml);
            return CheckReader.ReadFolder(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Refusal(string yaml) => Assert.Throws<ConfigException>(() => ReadChecks(yaml)).Message;

    private static RecipeVersion V(string text) => RecipeVersion.Parse(text);

    [Fact]
    public void From_and_until_are_read_and_a_check_without_them_applies_to_every_version()
    {
        var checks = ReadChecks("""
            checks:
              - name: new api
                http: {service: app, path: /api/v2}
                from: 2.0.0
              - name: old api
                http: {service: app, path: /api/v1}
                until: 1.9.0+4.1
              - tcp: {service: app, port: 80}
            """);
        Assert.Equal(("2.0.0", (string?)null), (checks[0].From?.Text, checks[0].Until?.Text));
        Assert.Equal(((string?)null, "1.9.0+4.1"), (checks[1].From?.Text, checks[1].Until?.Text));
        Assert.Null(checks[2].OutOfRange(V("0.1.0")));
        Assert.Null(checks[2].OutOfRange(V("99.0.0+1")));
    }

    [Theory]
    [InlineData("1.4.0", "applies from 2.0.0 on; this is 1.4.0")]
    [InlineData("2.0.0-rc1", "applies from 2.0.0 on; this is 2.0.0-rc1")]
    [InlineData("2.0.0+1.0", null)]            // a bound without upstream covers every upstream of its version
    [InlineData("2.5.1+3.0", null)]
    [InlineData("3.0.0+9.9", null)]            // until 3.0.0 is inclusive
    [InlineData("3.0.1", "applies until 3.0.0; this is 3.0.1")]
    public void A_check_outside_its_range_says_which_bound_and_which_version(string deployed, string? reason)
    {
        var check = new TcpCheck("port", "app", 80, 1) { From = V("2.0.0"), Until = V("3.0.0") };
        Assert.Equal(reason, check.OutOfRange(V(deployed)));
    }

    [Fact]
    public void A_deploy_that_declares_no_version_runs_every_check()
    {
        Assert.Null(new TcpCheck("port", "app", 80, 1) { From = V("2.0.0") }.OutOfRange(null));
    }

    [Fact]
    public void A_bound_that_is_not_a_version_is_refused_naming_the_line_the_key_and_the_fix()
    {
        var message = Refusal("""
            checks:
              - tcp: {service: app, port: 80}
                from: latest
            """);
        Assert.Contains("checks.yaml:3: checks[0].from: 'latest' is not a recipe version. Fix: write a release version", message);
        Assert.Contains("checks.yaml:3: checks[0].until: 'two' is not a recipe version", Refusal("""
            checks:
              - tcp: {service: app, port: 80}
                until: two
            """));
    }

    [Fact]
    public void From_after_until_is_refused_as_a_range_of_no_version()
    {
        var message = Refusal("""
            checks:
              - tcp: {service: app, port: 80}
                from: 2.0.0
                until: 1.4.0+1
            """);
        Assert.Contains("checks.yaml:4: checks[0].until: 1.4.0+1 is older than from: 2.0.0, so the check applies to no version. Fix: give an until: at or after from:", message);
        // The same version at both ends is one release, not an empty range.
        Assert.Single(ReadChecks("checks:\n  - tcp: {service: app, port: 80}\n    from: 2.0.0\n    until: 2.0.0\n"));
    }

    [Fact]
    public void The_install_moment_of_an_upgrade_run_meets_the_base_and_every_other_moment_the_head()
    {
        var plan = new RunPlan(new GitRepository("/nowhere", new CommandRunner()), new string('a', 40), V("2.0.0+1"),
            new BasePlan(new ReleaseTag("1.4.0+1", new string('b', 40), V("1.4.0+1")), "chosen"), FirstDeploy.Base, null,
            new AppName("r.ci.local", new StackName("r_ci_local")), new HashSet<Rung>(), null, new Dictionary<string, object?>());
        Assert.Equal("1.4.0+1", CustomChecks.DeployedVersion(plan, CheckMoment.Install)?.Text);
        Assert.Equal("2.0.0+1", CustomChecks.DeployedVersion(plan, CheckMoment.Upgrade)?.Text);
        Assert.Equal("2.0.0+1", CustomChecks.DeployedVersion(plan with { FirstDeploy = FirstDeploy.Head }, CheckMoment.Install)?.Text);
    }

    [Fact]
    public void A_skipped_check_is_a_skipped_testcase_neither_passed_nor_failed()
    {
        var result = new RunResult
        {
            Recipe = "r", Mode = "recipe",
            Stages =
            [
                new StageResult
                {
                    Name = "CustomChecks", Status = StageStatus.Passed, Folder = "20-CustomChecks",
                    Checks = [new("home", true, "/ answered 200", 0.1), CheckResult.Skip("new api", "applies from 2.0.0 on; this is 1.4.0")],
                },
            ],
        };
        var junit = JUnitWriter.Text(JUnitWriter.Document(result));
        Assert.Contains("skipped=\"1\"", junit);
        Assert.Contains("failures=\"0\"", junit);
        Assert.Contains("<skipped message=\"applies from 2.0.0 on; this is 1.4.0\" />", junit);
        Assert.Equal(["home"], result.CheckNames(passed: true));
        Assert.Empty(result.CheckNames(passed: false));
    }
}
