using System.Collections.Immutable;
using RecipeCi.Checks;
using RecipeCi.Lifecycle;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// Values a provision hook gives only for the checks (<c>check NAME VALUE</c>): kept apart from the
/// app's env and secrets, and typed by a browser check as <c>check:NAME</c> or read by a script.
/// </summary>
public sealed class CheckValueTests
{
    private const string Hook = "tests/app/provision-idp";

    private static Provisioned Checks(params (string Name, string Value)[] values) =>
        Provisioned.Nothing with { Checks = values.ToImmutableDictionary(v => v.Name, v => v.Value) };

    [Fact]
    public void A_hook_gives_values_only_the_checks_need_apart_from_the_apps_env_and_secrets()
    {
        var p = Provisioned.Parse("OIDC_TEST_USER=tester-1\nsecret oidc_client_secret s3cr3t\ncheck oidc_test_password pw-1\n", Hook);

        Assert.Equal(new Dictionary<string, string> { ["oidc_test_password"] = "pw-1" }, p.Checks);
        // Never the app's: no env key and no swarm secret of its name.
        Assert.Equal(["OIDC_TEST_USER"], p.Env.Keys);
        Assert.Equal(["oidc_client_secret"], p.Secrets.Keys);
        // What the run redacts before it writes the hook's output.
        Assert.Equal(["pw-1", "s3cr3t"], p.Hidden.Order());
        Assert.Equal("pw-2", p.With(Provisioned.Parse("check oidc_test_password pw-2\n", Hook)).Checks["oidc_test_password"]);
    }

    [Theory]
    [InlineData("secret admin_password v1\nA=1\ncheck admin_password v2\n", "output line 3 gives 'admin_password' as a check value, and line 1 as a secret")]
    [InlineData("check admin_password v1\nsecret admin_password v2\n", "output line 2 gives 'admin_password' as a secret value, and line 1 as a check")]
    public void A_name_given_both_as_a_secret_and_as_a_check_value_is_bad_input_naming_its_lines_only(string output, string message)
    {
        var ex = Assert.Throws<BadInputException>(() => Provisioned.Parse(output, Hook));

        Assert.StartsWith($"{Hook}: {message}. Fix: print it once: 'secret' when the app's compose mounts it", ex.Message);
        Assert.DoesNotContain("v1", ex.Message);
        Assert.DoesNotContain("v2", ex.Message);
    }

    [Fact]
    public void The_checks_see_what_the_hooks_gave_last_the_heads_re_provisioning_over_the_first()
    {
        var installed = new InstalledDependencies([], Checks(("oidc_test_password", "first"), ("other", "kept")));

        Assert.Empty(CustomChecks.CheckValues(null, null));
        Assert.Equal(installed.Provisioned.Checks, CustomChecks.CheckValues(installed, null));
        Assert.Equal(new Dictionary<string, string> { ["oidc_test_password"] = "again", ["other"] = "kept" },
            CustomChecks.CheckValues(installed, new VettedHead([], Checks(("oidc_test_password", "again")))));
        // A head whose hooks gave no check value leaves the first ones.
        Assert.Equal(installed.Provisioned.Checks, CustomChecks.CheckValues(installed, new VettedHead([], Provisioned.Nothing)));
    }

    [Fact]
    public async Task Each_named_value_is_resolved_from_its_own_source_and_a_secret_never_falls_back_to_a_check_value()
    {
        var asked = new List<string>();
        var values = new[] { "check:oidc_test_password", "env:OIDC_TEST_USER", "secret:admin_password", "secret:oidc_test_password", "check:missing", "typed", "check:oidc_test_password" }
            .Select(StepValue.Parse);

        var resolved = await VisitorRoute.ResolveAsync(values, new Dictionary<string, string> { ["OIDC_TEST_USER"] = "tester-1" },
            new Dictionary<string, string> { ["oidc_test_password"] = "pw-1" },
            name => { asked.Add(name); return Task.FromResult(name == "admin_password" ? "mounted" : null); });

        Assert.Equal(new Dictionary<StepValue, string?>
        {
            [StepValue.Parse("check:oidc_test_password")] = "pw-1",
            [StepValue.Parse("env:OIDC_TEST_USER")] = "tester-1",
            [StepValue.Parse("secret:admin_password")] = "mounted",
            // The app does not mount it: no value, though a hook gave a check value of that name.
            [StepValue.Parse("secret:oidc_test_password")] = null,
            [StepValue.Parse("check:missing")] = null,
        }, resolved);
        // Only secrets are read from the app's containers.
        Assert.Equal(["admin_password", "oidc_test_password"], asked);
    }

    [Fact]
    public void A_check_value_nothing_gave_says_where_it_was_looked_for()
    {
        Assert.Equal("check:oidc_test_password names no check value a provision hook gave (check oidc_test_password VALUE on its standard output)",
            StepValue.Parse("check:oidc_test_password").Unknown());
        Assert.Equal("secret:admin_password names no secret of the app", StepValue.Parse("secret:admin_password").Unknown());
    }

    [Fact]
    public async Task A_script_check_gets_each_check_value_as_an_upper_case_variable()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-check-value-").FullName;
        try
        {
            var script = Path.Combine(dir, "logs-in");
            await File.WriteAllTextAsync(script, "#!/bin/sh\n[ \"$RECIPE_CI_CHECK_OIDC_TEST_PASSWORD\" = pw-1 ] || { echo \"no test password\"; exit 1; }\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var runner = new CheckRunner(new DockerCli(new CommandRunner()), new CommandRunner(), TimeProvider.System);
            // No service: the script runs on the host without asking docker for a container.
            var target = new CheckTarget("app", "app.ci.local", new StackName("app_ci_local"), [], dir);
            var check = new ScriptCheck("logs-in", script);

            Assert.Equal("exit 1: no test password", (await runner.RunAsync(check, target, CancellationToken.None)).Detail);
            var given = await runner.RunAsync(check, target with { Values = new Dictionary<string, string> { ["oidc_test_password"] = "pw-1" } }, CancellationToken.None);
            Assert.True(given.Passed, given.Detail);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
