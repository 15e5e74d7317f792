using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class DependencyTests
{
    private const string Provider = "  idp:\n    repository: y\n";

    [Fact]
    public void Depends_names_enrolled_recipes_with_a_hook_and_a_scope()
    {
        var c = Catalog.Parse("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {provision: provision-idp, scope: sweep}\n      db: {provision: provision-db}\n" +
            Provider + "  db:\n    repository: z\n", "recipes.yaml");
        Assert.Equal([new Dependency("idp", "provision-idp", DependencyScope.Sweep, "recipes.yaml:5"), new Dependency("db", "provision-db", DependencyScope.Run, "recipes.yaml:6")],
            c.Get("app").Depends);
        Assert.Empty(c.Get("idp").Depends);
    }

    [Theory]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      idq: {provision: p}\n" + Provider,
        "recipes.yaml:5: recipes.app.depends.idq: no recipe of that name is enrolled in recipes.yaml. Fix: name one of app, idp, or enrol idq under 'recipes:'")]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {provision: p}\n  idp:\n    repository: y\n    depends:\n      app: {provision: q}\n",
        "recipes.yaml:5: recipes.app.depends: a dependency cycle app -> idp -> app. Fix: remove one of these depends: entries")]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      app: {provision: p}\n",
        "recipes.yaml:5: recipes.app.depends: a dependency cycle app -> app.")]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {provision: p, scope: forever}\n" + Provider,
        "recipes.yaml:5: recipes.app.depends.idp.scope: 'forever' is not a scope. Fix: write one of run, sweep")]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {scope: run}\n" + Provider,
        "recipes.yaml:5: recipes.app.depends.idp.provision: missing")]
    [InlineData("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {provision: ../hook}\n" + Provider,
        "recipes.yaml:5: recipes.app.depends.idp.provision: '../hook' is not a file name")]
    public void A_bad_dependency_is_refused_naming_the_line_and_the_fix(string yaml, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => Catalog.Parse(yaml, "recipes.yaml"));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void A_provision_hook_that_is_missing_or_not_executable_is_bad_input_before_anything_runs()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-deps-").FullName;
        try
        {
            var entry = Catalog.Parse("recipes:\n  app:\n    repository: x\n    depends:\n      idp: {provision: provision-idp}\n" + Provider, Path.Combine(dir, "recipes.yaml")).Get("app");
            var hook = Path.Combine(dir, "tests", "app", "provision-idp");
            var missing = Assert.Throws<BadInputException>(() => new DependencyApps(entry, dir, [new DependencyApp(entry.Depends[0], null, null)], new DockerCli(new CommandRunner()), new Redactor(), ArtifactWriter.NoSecrets));
            Assert.Equal($"{dir}/recipes.yaml:5: recipes.app.depends.idp.provision: {hook} does not exist. Fix: add the hook there (tests/app/provision-idp) and make it executable", missing.Message);

            Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
            File.WriteAllText(hook, "#!/bin/sh\n");
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var plain = Assert.Throws<BadInputException>(() => new DependencyApps(entry, dir, [new DependencyApp(entry.Depends[0], null, null)], new DockerCli(new CommandRunner()), new Redactor(), ArtifactWriter.NoSecrets));
            Assert.Equal($"{dir}/recipes.yaml:5: recipes.app.depends.idp.provision: {hook} is not executable. Fix: chmod +x {hook}", plain.Message);

            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.True(new DependencyApps(entry, dir, [new DependencyApp(entry.Depends[0], null, null)], new DockerCli(new CommandRunner()), new Redactor(), ArtifactWriter.NoSecrets).Any);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_hook_prints_env_lines_and_secrets_for_the_app()
    {
        var p = Provisioned.Parse("# provisioned\nOIDC_CLIENT_ID=ci-app\n\nOIDC_ISSUER=http://idp/realms/a=b\nsecret oidc_client_secret s3cr3t-value\n", "tests/app/provision-idp");
        Assert.Equal(new Dictionary<string, string> { ["OIDC_CLIENT_ID"] = "ci-app", ["OIDC_ISSUER"] = "http://idp/realms/a=b" }, p.Env);
        Assert.Equal(new Dictionary<string, string> { ["oidc_client_secret"] = "s3cr3t-value" }, p.Secrets);
        var later = p.With(Provisioned.Parse("OIDC_CLIENT_ID=other\n", "h"));
        Assert.Equal("other", later.Env["OIDC_CLIENT_ID"]);
        Assert.Equal("s3cr3t-value", later.Secrets["oidc_client_secret"]);
    }

    [Theory]
    [InlineData("A=1\nclient created\n", "tests/app/provision-idp: output line 2 (starting 'client') is none of KEY=VALUE, 'secret NAME VALUE' or 'check NAME VALUE'. Fix: print only KEY=VALUE lines")]
    [InlineData("secret Client_Secret abc\n", "tests/app/provision-idp: output line 1 (starting 'secret') is none of")]
    [InlineData("secret client_secret two wordz\n", "tests/app/provision-idp: output line 1 (starting 'secret') is none of")]
    [InlineData("1KEY=x\n", "tests/app/provision-idp: output line 1 (starting '1KEY') is none of")]
    [InlineData("A=1\ncheck Test_Password abc\n", "tests/app/provision-idp: output line 2 (starting 'check') is none of")]
    [InlineData("check test_password two wordz\n", "tests/app/provision-idp: output line 1 (starting 'check') is none of")]
    [InlineData("check test_password\n", "tests/app/provision-idp: output line 1 (starting 'check') is none of")]
    public void A_hook_output_line_of_another_shape_is_bad_input_naming_the_line_without_its_value(string output, string message)
    {
        var ex = Assert.Throws<BadInputException>(() => Provisioned.Parse(output, "tests/app/provision-idp"));
        Assert.StartsWith(message, ex.Message);
        Assert.DoesNotContain("abc", ex.Message);
        Assert.DoesNotContain("wordz", ex.Message);
    }
}
