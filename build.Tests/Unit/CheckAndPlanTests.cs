using RecipeCi.Verdicts;
using RecipeCi.Checks;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

public sealed class CheckAndPlanTests
{
    private static List<CheckSpec> Read(string yaml)
    {
        var y = new YamlReader("checks.yaml");
        return CheckReader.Read(y, y.Entries(y.Load(yaml), "", ["checks"])["checks"], "checks", "hello");
    }

    [Fact]
    public void Reads_http_exec_and_tcp_checks_with_defaults()
    {
        var checks = Read("""
            checks:
              - name: home
                http: {service: app, path: /status, contains: ok}
              - exec: {service: db, command: "pg_isready", exit: 0}
              - tcp: {service: db, port: 5432, stable: 3}
            """);
        var http = Assert.IsType<HttpCheck>(checks[0]);
        Assert.Equal(("home", 80, "/status", "ok"), (http.Name, http.Port, http.Path, http.Contains));
        Assert.Equal([200], http.Statuses);
        Assert.Equal("exec in db: pg_isready -> exit 0", checks[1].Name);
        Assert.Equal(3, Assert.IsType<TcpCheck>(checks[2]).Stable);
    }

    [Theory]
    [InlineData("checks:\n  - http: {service: app}\n    exec: {service: app, command: x}\n", "checks.yaml:2: checks[0]: has more than one check kind")]
    [InlineData("checks:\n  - name: x\n", "checks.yaml:2: checks[0]: has no check kind")]
    [InlineData("checks:\n  - tcp: {service: db}\n", "checks.yaml:2: checks[0].tcp.port: missing")]
    [InlineData("checks:\n  - http: {service: app, verb: POST}\n", "checks.yaml:2: checks[0].http.verb: unknown key")]
    [InlineData("checks:\n  - exec: {command: ls}\n", "checks.yaml:2: checks[0].exec.service: missing")]
    public void Malformed_checks_name_the_line_and_the_key(string yaml, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<ConfigException>(() => Read(yaml)).Message);

    [Fact]
    public void Checks_say_when_they_run_and_scripts_are_named_once()
    {
        var folder = Directory.CreateTempSubdirectory("recipe-ci-checks-").FullName;
        try
        {
            void Script(string name, bool executable = true)
            {
                var path = Path.Combine(folder, name);
                File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
                if (executable) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            Script("migrated.sh");
            Script("smoke.sh");
            Script("install");
            Script("provision-idp");
            File.WriteAllText(Path.Combine(folder, "checks.yaml"), """
                checks:
                  - exec: {service: app, command: "true"}
                    after: install
                  - script: migrated.sh
                    after: upgrade
                  - name: rows back
                    http: {service: app}
                    after: restore
                  - tcp: {service: db, port: 5432}
                """);

            var checks = CheckReader.ReadFolder(folder, hooks: ["provision-idp"]);

            Assert.Equal([CheckMoment.Install, CheckMoment.Upgrade, CheckMoment.Restore, CheckMoment.End, CheckMoment.End], checks.Select(c => c.After));
            // A script checks.yaml names runs once, at its moment; one it does not name runs at the end; the install and provision hooks never.
            Assert.Equal(["migrated.sh", "smoke.sh"], checks.OfType<ScriptCheck>().Select(c => c.Name));
            Assert.Equal("rows back", checks[2].Name);

            File.WriteAllText(Path.Combine(folder, "checks.yaml"), "checks:\n  - script: migrated.sh\n    after: deploy\n");
            var moment = Assert.Throws<ConfigException>(() => CheckReader.ReadFolder(folder)).Message;
            Assert.Contains("checks.yaml:3: checks[0].after: unknown moment 'deploy'. Fix: use one of: install, upgrade, restore, end", moment);

            Script("notes.txt", executable: false);
            File.WriteAllText(Path.Combine(folder, "checks.yaml"), "checks:\n  - script: notes.txt\n");
            Assert.Contains($"checks[0].script: {Path.Combine(folder, "notes.txt")} is not executable. Fix: chmod +x", Assert.Throws<ConfigException>(() => CheckReader.ReadFolder(folder)).Message);
            File.WriteAllText(Path.Combine(folder, "checks.yaml"), "checks:\n  - script: install\n");
            Assert.Contains("'install' is not a check script", Assert.Throws<ConfigException>(() => CheckReader.ReadFolder(folder)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Probes_have_no_moment_and_no_scripts()
    {
        var y = new YamlReader("recipes.yaml");
        var probes = y.Entries(y.Load("probes:\n  - script: x.sh\n"), "", ["probes"])["probes"];
        Assert.Contains("probes[0].script: unknown key. Fix: use one of: name, http, exec, tcp", Assert.Throws<ConfigException>(() => CheckReader.Read(y, probes, "probes", "hello")).Message);
    }

    [Fact]
    public void Catalogue_backup_commands_must_place_the_marker()
    {
        var ex = Assert.Throws<ConfigException>(() => Catalog.Parse(
            "recipes:\n  a:\n    repository: x\n    backup: {service: db, seed: 'echo hi', remove: 'rm {marker}', check: 'test {marker}'}\n", "r.yaml"));
        Assert.Contains("recipes.a.backup.seed: does not mention {marker}", ex.Message);
        var ok = Catalog.Parse("recipes:\n  a:\n    repository: x\n    backup: {service: db, seed: 'echo {marker}', remove: 'rm {marker}', check: 'test {marker}'}\n", "r.yaml");
        Assert.Equal(3, ok.Get("a").Backup!.Attempts);
    }

    [Fact]
    public void Stages_pick_rungs_and_install_is_always_in()
    {
        Assert.Equal([Rung.Install, Rung.BackupRestore, Rung.Custom], TargetPlan.Rungs("backup,restore,custom").Order());
        Assert.Equal(5, TargetPlan.Rungs(null).Count);
        Assert.Equal([Rung.Lint], TargetPlan.Rungs("lint"));
        Assert.Contains("unknown rung 'deploy'", Assert.Throws<BadInputException>(() => TargetPlan.Rungs("install,deploy")).Message);
    }

    [Fact]
    public void First_deploy_is_the_base_only_when_an_upgrade_is_tested()
    {
        var withBase = new BasePlan(new ReleaseTag("1.0.0+1", "c", RecipeVersion.Parse("1.0.0+1")), "x");
        var none = new BasePlan(null, "skipped: no published release older than the head's 1.0.0+1");
        var all = TargetPlan.Rungs(null);
        var recipe = TargetScope.Of("Recipe", null);
        var install = TargetScope.Of("Install", new CoversAttribute(Rung.Install));
        var upgrade = TargetScope.Of("Upgrade", new CoversAttribute(Rung.Install, Rung.Upgrade) { UpgradeOrNothing = true });
        Assert.Equal(FirstDeploy.Base, recipe.Choose(all, withBase));
        Assert.Equal(FirstDeploy.Head, recipe.Choose(all, none));
        Assert.Equal(FirstDeploy.Head, recipe.Choose(TargetPlan.Rungs("install,custom"), withBase));
        Assert.Equal(FirstDeploy.Head, install.Choose(all, withBase));
        Assert.Equal(FirstDeploy.None, upgrade.Choose(all, none));
        Assert.Contains("no upgrade to test", TargetPlan.SkipReason(Rung.Upgrade, all, FirstDeploy.Head, none));
        Assert.Contains("not picked", TargetPlan.SkipReason(Rung.Custom, TargetPlan.Rungs("install"), FirstDeploy.Head, none));
        Assert.Null(TargetPlan.SkipReason(Rung.Install, all, FirstDeploy.Head, none));
    }
}
