using RecipeCi.Lint;
using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

/// <summary>Every lint rule: one sample that trips it (rule, severity, line) and one that does not.</summary>
public sealed class LintRuleTests
{
    private static IReadOnlyList<LintFinding> Lint(string compose, Dictionary<string, string>? more = null, params string[] tags)
    {
        var files = new Dictionary<string, string>(more ?? []) { ["compose.yml"] = compose };
        return RecipeLinter.Lint(RecipeTree.FromTexts(files, tags));
    }

    private static LintFinding Trips(IReadOnlyList<LintFinding> findings, LintRule rule, int line, string file = "compose.yml")
    {
        var f = Assert.Single(findings, f => f.Rule == rule.Id);
        Assert.Equal(rule.Severity, f.Severity);
        Assert.Equal(file, f.File);
        Assert.Equal(line, f.Line);
        return f;
    }

    private static void Passes(IReadOnlyList<LintFinding> findings, LintRule rule) => Assert.DoesNotContain(findings, f => f.Rule == rule.Id);

    [Fact]
    public void L000_unparsable_or_missing_compose_file()
    {
        Trips(Lint("services:\n  app: [1, 2]\n"), LintRules.ComposeInvalid, 2);
        var missing = RecipeLinter.Lint(RecipeTree.FromTexts(new Dictionary<string, string> { ["compose.smtp.yml"] = "services: {}\n" }, []));
        Assert.Single(missing, f => f.Rule == "L000" && f.File == "compose.yml" && f.Message.Contains("no compose.yml"));
        Passes(Lint("services:\n  app:\n    image: a:1\n"), LintRules.ComposeInvalid);
    }

    [Fact]
    public void L001_start_first_rollback_with_a_long_start_period()
    {
        static string Compose(string order, string startPeriod) => $"""
            services:
              app:
                image: discourse:3.5.0
                healthcheck:
                  test: ["CMD", "true"]
                  start_period: {startPeriod}
                deploy:
                  update_config:
                    failure_action: rollback
                    order: {order}
            """;
        var f = Trips(Lint(Compose("start-first", "20m")), LintRules.SlowStartFirstRollback, 10);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Assert.Contains("start_period of 20m", f.Message);
        Passes(Lint(Compose("start-first", "30s")), LintRules.SlowStartFirstRollback);
        Passes(Lint(Compose("stop-first", "20m")), LintRules.SlowStartFirstRollback);
    }

    [Fact]
    public void L002_database_volume_archived_whole_without_a_restore_post_hook()
    {
        // mattermost-lts before its fix: the live PGDATA archived whole, a dump nobody reloads.
        const string mattermost = """
            services:
              postgres:
                image: postgres:15
                volumes:
                  - postgres:/var/lib/postgresql/data
                deploy:
                  labels:
                    backupbot.backup: ${ENABLE_BACKUPS:-true}
                    backupbot.backup.pre-hook: "pg_dump -U mattermost > /var/lib/postgresql/data/postgres-backup.sql"
                    backupbot.backup.path: /var/lib/postgresql/data/
            volumes:
              postgres:
            """;
        Assert.Contains("volume 'postgres' (/var/lib/postgresql/data) is archived whole", Trips(Lint(mattermost), LintRules.DatabaseWithoutRestoreHook, 5).Message);
        // The same with a restore post-hook that reloads the dump.
        Passes(Lint(mattermost.Replace("backupbot.backup.path:", "backupbot.restore.post-hook: /reload.sh\n        backupbot.backup.path:")),
            LintRules.DatabaseWithoutRestoreHook);
        // A database known by its service name: a volume archived whole, no hooks at all.
        Trips(Lint("services:\n  db:\n    image: recipe-ci/busybox:1\n    volumes: [data:/data]\n    deploy:\n      labels: [backupbot.backup=true]\n"),
            LintRules.DatabaseWithoutRestoreHook, 4);
        Passes(Lint("services:\n  web:\n    image: nginx:1.27.2\n    volumes: [data:/data]\n    deploy:\n      labels: [backupbot.backup=true]\n"),
            LintRules.DatabaseWithoutRestoreHook);
        // Backups switched off in the sample env: nothing is archived.
        Passes(Lint(mattermost, new() { [".env.sample"] = "ENABLE_BACKUPS=false\n" }), LintRules.DatabaseWithoutRestoreHook);
        // The /pg_backup.sh convention (immich, matrix-synapse): only the dump, reloaded on restore.
        const string immich = """
            services:
              db:
                image: postgres:15
                volumes:
                  - postgres:/var/lib/postgresql/data
                deploy:
                  labels:
                    backupbot.backup: "true"
                    backupbot.backup.pre-hook: "/pg_backup.sh backup"
                    backupbot.backup.volumes.postgres.path: "backup.sql"
                    backupbot.restore.post-hook: "/pg_backup.sh restore"
            """;
        Passes(Lint(immich), LintRules.DatabaseWithoutRestoreHook);
        // Without its restore post-hook the dump comes back and nothing reloads it.
        var dumpOnly = Trips(Lint(immich.Replace("backupbot.restore.post-hook", "backupbot.restore.pre-hook")), LintRules.DatabaseWithoutRestoreHook, 5);
        Assert.Contains("only a dump of volume 'postgres'", dumpOnly.Message);
    }

    [Fact]
    public void L002_agrees_with_the_backup_fixtures_of_the_restore_scenarios()
    {
        static IReadOnlyList<LintFinding> Fixture(TestDb db) => Lint(TestRecipe.Compose(new TestRelease("1.0.0+1") { Db = db }));
        Assert.Single(Fixture(TestDb.MemoryLiveFolder), f => f.Rule == LintRules.DatabaseWithoutRestoreHook.Id);
        Passes(Fixture(TestDb.MemoryWithDump), LintRules.DatabaseWithoutRestoreHook);
    }

    [Fact]
    public void L003_depends_on_an_undefined_service()
    {
        // discourse: sidekiq depended on 'discourse' while the service is 'app'.
        var f = Trips(Lint("""
            services:
              app:
                image: discourse:3.5.0
              sidekiq:
                image: discourse:3.5.0
                depends_on:
                  - discourse
            """), LintRules.DependsOnUndefined, 7);
        Assert.Contains("'discourse'", f.Message);
        Passes(Lint("services:\n  app:\n    image: a:1\n  worker:\n    image: a:1\n    depends_on: [app]\n",
            new() { ["compose.smtp.yml"] = "services:\n  smtp:\n    image: b:1\n    depends_on:\n      app: {condition: service_started}\n" }),
            LintRules.DependsOnUndefined);
    }

    [Fact]
    public void L004_image_without_a_tag()
    {
        Trips(Lint("services:\n  app:\n    image: nginx\n"), LintRules.ImageUntagged, 3);
        // A registry port is not a tag.
        Trips(Lint("services:\n  app:\n    image: registry.example.org:5000/team/nginx\n"), LintRules.ImageUntagged, 3);
        Passes(Lint("services:\n  app:\n    image: nginx:1.27.2\n  db:\n    image: registry.example.org:5000/pg@sha256:abc\n"), LintRules.ImageUntagged);
        Passes(Lint("services:\n  app:\n    image: nginx:${NGINX_VERSION:-1.27.2}\n"), LintRules.ImageUntagged);
    }

    [Fact]
    public void L005_image_on_latest()
    {
        Trips(Lint("services:\n  app:\n    image: nginx:latest\n"), LintRules.ImageLatest, 3);
        Passes(Lint("services:\n  app:\n    image: nginx:1.27.2\n"), LintRules.ImageLatest);
    }

    [Fact]
    public void L006_service_without_a_healthcheck()
    {
        var f = Trips(Lint("services:\n  app:\n    image: a:1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n  worker:\n    image: a:1\n"),
            LintRules.NoHealthcheck, 6);
        Assert.Equal(LintSeverity.Warning, f.Severity);
        Trips(Lint("services:\n  app:\n    image: a:1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      disable: true\n"), LintRules.NoHealthcheck, 5);
        Trips(Lint("services:\n  app:\n    image: a:1\n    healthcheck:\n      test: [\"NONE\"]\n"), LintRules.NoHealthcheck, 5);
        // An overlay that COMPOSE_FILE enables may bring the healthcheck of a service compose.yml defines...
        var overlay = new Dictionary<string, string> { ["compose.health.yml"] = "services:\n  app:\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n" };
        Passes(Lint("services:\n  app:\n    image: a:1\n",
            new(overlay) { [".env.sample"] = "COMPOSE_FILE=\"compose.yml:compose.health.yml\"\n" }), LintRules.NoHealthcheck);
        // ...but an overlay the sample only offers is an alternative: the default deploy has no healthcheck.
        Trips(Lint("services:\n  app:\n    image: a:1\n", overlay), LintRules.NoHealthcheck, 2);
        // A healthcheck merged in from an x- block is the service's own.
        Passes(Lint("x-defaults: &defaults\n  healthcheck:\n    test: [\"CMD\", \"true\"]\nservices:\n  app:\n    <<: *defaults\n    image: a:1\n"),
            LintRules.NoHealthcheck);
    }

    [Fact]
    public void L007_version_label_differs_from_the_release_tag()
    {
        static string Compose(string label) => $$"""
            services:
              app:
                image: a:1
                deploy:
                  labels:
                    - "coop-cloud.${STACK_NAME}.version={{label}}"
            """;
        var f = Trips(Lint(Compose("1.1.0+2"), null, "1.0.0+1"), LintRules.VersionLabel, 6);
        Assert.Contains("'1.1.0+2' but the tested commit is the release 1.0.0+1", f.Message);
        Trips(Lint(Compose("one-point-oh"), null), LintRules.VersionLabel, 6);
        Trips(Lint("services:\n  app:\n    image: a:1\n"), LintRules.VersionLabel, 2);
        Passes(Lint(Compose("1.0.0+1"), null, "1.0.0+1"), LintRules.VersionLabel);
        Passes(Lint(Compose("1.1.0+2"), null), LintRules.VersionLabel);   // an unreleased head
    }

    [Fact]
    public void L008_names_beyond_dockers_limits_with_the_longest_stack()
    {
        // 45 + "_" + 18 = 64 > 63.
        Trips(Lint("services:\n  app:\n    image: a:1\n  notification-queue:\n    image: a:1\n"), LintRules.NameTooLong, 4);
        var secret = Trips(Lint("services:\n  app:\n    image: a:1\nsecrets:\n  key:\n    external: true\n    name: ${STACK_NAME}_smtp_relay_password_${SECRET_SMTP_RELAY_PASSWORD_VERSION}\n",
            new() { [".env.sample"] = "SECRET_SMTP_RELAY_PASSWORD_VERSION=v1\n" }), LintRules.NameTooLong, 7);
        Assert.Contains("swarm allows 64", secret.Message);
        Passes(Lint("services:\n  app:\n    image: a:1\n  notification-que:\n    image: a:1\nsecrets:\n  key:\n    external: true\n    name: ${STACK_NAME}_key_${SECRET_KEY_VERSION}\n",
            new() { [".env.sample"] = "SECRET_KEY_VERSION=v1\n" }), LintRules.NameTooLong);
    }

    [Fact]
    public void L009_docker_socket_mounted()
    {
        Trips(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n"), LintRules.DockerSocket, 5);
        Trips(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /sock\n"), LintRules.DockerSocket, 5);
        Passes(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - docker:/var/run\n"), LintRules.DockerSocket);
    }

    [Fact]
    public void L010_host_root_mounted()
    {
        Trips(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - /:/host:ro\n"), LintRules.HostRootMount, 5);
        Trips(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - /etc/:/host-etc\n"), LintRules.HostRootMount, 5);
        Passes(Lint("services:\n  app:\n    image: a:1\n    volumes:\n      - ./config:/etc/app\n      - data:/\n"), LintRules.HostRootMount);
    }

    [Fact]
    public void L011_privileged()
    {
        Trips(Lint("services:\n  app:\n    image: a:1\n    privileged: true\n"), LintRules.Privileged, 4);
        Passes(Lint("services:\n  app:\n    image: a:1\n    privileged: false\n"), LintRules.Privileged);
    }

    [Fact]
    public void L012_cap_add()
    {
        Assert.Contains("NET_ADMIN", Trips(Lint("services:\n  app:\n    image: a:1\n    cap_add:\n      - NET_ADMIN\n"), LintRules.CapAdd, 5).Message);
        Passes(Lint("services:\n  app:\n    image: a:1\n    cap_drop: [ALL]\n"), LintRules.CapAdd);
    }

    [Fact]
    public void L013_host_network()
    {
        Trips(Lint("services:\n  app:\n    image: a:1\n    network_mode: host\n"), LintRules.HostNetwork, 4);
        // Swarm's way: join the external network named 'host', declared in compose.yml, joined from an overlay.
        Trips(Lint("services:\n  app:\n    image: a:1\nnetworks:\n  outside:\n    external: true\n    name: host\n",
            new() { ["compose.net.yml"] = "services:\n  app:\n    networks:\n      - outside\n" }), LintRules.HostNetwork, 4, "compose.net.yml");
        Passes(Lint("services:\n  app:\n    image: a:1\n    networks: [proxy, internal]\nnetworks:\n  proxy:\n    external: true\n  internal:\n"),
            LintRules.HostNetwork);
    }

    [Fact]
    public void Every_rule_is_documented_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(Support.RepoRoot.Path, "README.md"));
        var section = readme[readme.IndexOf("## Lint rules", StringComparison.Ordinal)..];
        Assert.All(LintRules.All, r => Assert.Contains($"| {r.Id} | `{r.Name}` | {r.Severity.ToString().ToLowerInvariant()} |", section));
    }
}
