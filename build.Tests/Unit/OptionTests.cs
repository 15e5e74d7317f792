using Cake.Core;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class OptionTests
{
    private static ICakeArguments Args(params (string, string)[] a) => new CakeArguments(a.ToLookup(x => x.Item1, x => x.Item2));

    [Fact]
    public void Drone_variables_are_fallbacks_and_options_win()
    {
        var env = new Dictionary<string, string> { ["DRONE_PULL_REQUEST"] = "12", ["DRONE_COMMIT_SHA"] = "abc123", ["DRONE_REPO_NAME"] = "discourse" };
        var fromDrone = RunOptions.Parse(Args(), k => env.GetValueOrDefault(k));
        Assert.Equal(("discourse", "12", "abc123"), (fromDrone.Recipe, fromDrone.Pr, fromDrone.Ref));
        var explicitOnes = RunOptions.Parse(Args(("recipe", "hello"), ("ref", "def")), k => env.GetValueOrDefault(k));
        Assert.Equal(("hello", "12", "def"), (explicitOnes.Recipe, explicitOnes.Pr, explicitOnes.Ref));
    }

    [Theory]
    [InlineData("recipie", "hello", "unknown option --recipie")]
    [InlineData("abra", "sometimes", "--abra must be auto, cli or local")]
    [InlineData("pr", "twelve", "--pr must be a pull request number")]
    [InlineData("run-id", "../etc", "--run-id '../etc' may hold only")]
    [InlineData("recipe", "../etc", "--recipe '../etc' is not a recipe's name: recipe names are lower-case letters, digits and dashes")]
    [InlineData("domain-suffix", "Not A Domain", "is not a DNS name")]
    [InlineData("deadline", "0", "--deadline must be a number of minutes above 0")]
    [InlineData("deadline", "1h", "--deadline must be a number of minutes above 0")]
    [InlineData("deadline", "1441", "at most 1440")]
    [InlineData("reap-unrecorded", "maybe", "--reap-unrecorded takes true or false")]
    [InlineData("retention-days", "0", "--retention-days must be a whole number from 1 to 3650, not '0'")]
    public void Bad_values_are_usage_errors(string name, string value, string message)
    {
        var ex = Assert.Throws<BadInputException>(() => RunOptions.Parse(Args((name, value)), _ => null));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Deadline_is_minutes_and_defaults_to_an_hour()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), RunOptions.Parse(Args(), _ => null).Deadline);
        Assert.Equal(TimeSpan.FromSeconds(90), RunOptions.Parse(Args(("deadline", "1.5")), _ => null).Deadline);
    }

    [Fact]
    public void Retention_is_days_and_defaults_to_two_weeks_for_the_janitor_and_the_sweeps_pass()
    {
        Assert.Equal(TimeSpan.FromDays(14), RunOptions.Parse(Args(), _ => null).Retention.Keep);
        var thirty = RunOptions.Parse(Args(("retention-days", "30")), _ => null);
        Assert.Equal((TimeSpan.FromDays(30), TimeSpan.FromDays(30)), (thirty.Retention.Keep, thirty.ForSweep().Retention.Keep));
    }

    [Fact]
    public void Host_reads_frosting_style_arguments()
    {
        var a = HostArguments.Parse(["--target=Upgrade", "--recipe", "hello", "--dryrun", "--verbosity=diagnostic", "--pr=3"]);
        Assert.Equal("Upgrade", a.Target);
        Assert.Contains("dryrun", a.Flags);
        Assert.Equal(Cake.Core.Diagnostics.Verbosity.Diagnostic, a.Verbosity);
        Assert.Equal(["recipe", "pr"], a.Options.Select(o => o.Key));
        Assert.Throws<UsageException>(() => HostArguments.Parse(["Upgrade"]));
        Assert.Throws<UsageException>(() => HostArguments.Parse(["--verbosity=loud"]));
    }

    [Fact]
    public void Stages_are_listed_in_the_order_a_run_meets_them()
    {
        var order = CakeHost.RunOrder(new CakeHost().AddAssembly(typeof(RecipeContext).Assembly).DiscoverTasks())
            .Where(t => !t.IsTarget).Select(t => t.Name).ToList();
        string[] lifecycle = ["FetchRecipe", "RunAdmission", "VetBase", "DeployBase", "AwaitBaseConvergence", "AwaitBaseHealthy", "CustomChecksAfterInstall",
            "SeedUpgradeMarker", "CheckoutHead", "VetHead", "ChaosRedeploy", "AwaitHeadConvergence", "AwaitHeadHealthy", "HeadIdentityCheck", "VerifyUpgradeMarker",
            "CustomChecksAfterUpgrade", "ColdInstallHead", "SeedMarker", "Backup", "Mutate", "Restore", "VerifyMarker", "CustomChecksAfterRestore", "CustomChecks",
            "LintRecipe", "Teardown"];
        Assert.Equal(lifecycle, order.Where(lifecycle.Contains));
    }

    [Theory]
    [InlineData("--json", true)]
    [InlineData("--json=true", true)]
    [InlineData("--json=YES", true)]
    [InlineData("--json=false", false)]
    [InlineData("--jsonish", false)]
    [InlineData("--target=Status", false)]
    public void Json_is_recognised_before_the_host_starts_as_the_option_parser_reads_it(string arg, bool asks) =>
        Assert.Equal(asks, RunOptions.AsksForJson(["--target=Status", arg]));

    [Theory]
    [InlineData("bench-case", "weekly", "--bench-case must be copies or catalogue, not 'weekly'")]
    [InlineData("background", "9", "--background")]
    public void Bad_benchmark_options_are_usage_errors(string name, string value, string message) =>
        Assert.Contains(message, Assert.Throws<Verdicts.BadInputException>(() => RunOptions.Parse(Args((name, value)), _ => null)).Message);
}
