namespace RecipeCi.Recipes;

/// <summary>The data service of a test recipe.</summary>
public enum TestDb
{
    /// <summary>Writes a file to its volume; no backup labels.</summary>
    Plain,
    /// <summary>Rows in memory, flushed to the volume each second; backup dumps memory, restore replays the dump.</summary>
    MemoryWithDump,
    /// <summary>The same database, but the backup archives the live data folder whole and no restore hook reloads it.</summary>
    MemoryLiveFolder,
}

/// <summary>
/// What a visitor of a test recipe's app finds: its login page (<see cref="TestLoginPage"/>, the
/// password its generated <c>token</c> secret) on port 80, routed by abra's traefik labels.
/// </summary>
public sealed record TestVisitor
{
    /// <summary>The port the load balancer label names (the app listens on 80).</summary>
    public int Port { get; init; } = 80;
    /// <summary>The host the router rule names.</summary>
    public string Host { get; init; } = "${DOMAIN}";
    /// <summary>Where the login form posts (anything but /cgi-bin/login breaks it; / still answers 200).</summary>
    public string FormAction { get; init; } = "/cgi-bin/login";
}

/// <summary>How one version of a test recipe behaves.</summary>
public sealed record TestRelease(string Version, string? Tag = null)
{
    /// <summary>The app's healthcheck passes (false: it never does, so its tasks fail).</summary>
    public bool AppHealthy { get; init; } = true;
    public string UpdateOrder { get; init; } = "start-first";
    public string FailureAction { get; init; } = "rollback";
    public string Message { get; init; } = "change";
    /// <summary>Extra compose services, as YAML indented for the services block.</summary>
    public string ExtraServices { get; init; } = "";
    /// <summary>Extra named volumes for them, as YAML indented for the volumes block.</summary>
    public string ExtraVolumes { get; init; } = "";
    public TestDb Db { get; init; } = TestDb.Plain;
    /// <summary>The compose key of the db's data volume (a head that renames it starts on an empty volume).</summary>
    public string DataVolume { get; init; } = "data";
    /// <summary>The app ignores SIGTERM under a 10 s stop_grace_period: a graceful stop takes all of it.</summary>
    public bool IgnoresTerm { get; init; }
    /// <summary>The app serves a login page routed by traefik labels (on the proxy network); null: a plain page, no labels.</summary>
    public TestVisitor? Visitor { get; init; }
    /// <summary>Seconds the app takes before it serves (a slow start); its start period grows by as much.</summary>
    public int StartDelayS { get; init; }
    /// <summary>The app exits with this code right after it starts, every time (a crash loop).</summary>
    public int? ExitCode { get; init; }
    /// <summary>The port the app's web server listens on; its healthcheck always asks port 80.</summary>
    public int ListensOn { get; init; } = 80;
}

/// <summary>
/// Recipes made by the tests and the sweep benchmark: real git repositories with annotated release
/// tags, built from one compose template whose behaviour each release sets (healthy or not, update
/// order, slow to start, crashing, routed to a login page, ...).
/// </summary>
public static class TestRecipe
{
    public static RecipeHistory History(params TestRelease[] releases) =>
        new(releases.Select(r => new HistoryCommit(
            r.Tag is null ? $"feat: {r.Message} ({r.Version})" : $"chore: publish {r.Tag} release",
            r.Tag,
            Files(r))).ToList());

    private static Dictionary<string, string> Files(TestRelease r) => new()
    {
        ["compose.yml"] = Compose(r),
        [".env.sample"] = "TYPE=test\nDOMAIN=test.example.com\nCOMPOSE_FILE=\"compose.yml\"\nSECRET_TOKEN_VERSION=v1 # length=24\n" +
            (r.Visitor is null ? "" : "LETS_ENCRYPT_ENV=production\n"),
        ["README.md"] = $"# test recipe\n\nversion {r.Version}\n",
    };

    /// <summary>The marker commands recipes.yaml declares for the in-memory database.</summary>
    public const string MemoryDbMarker = """
            backup:
              service: db
              seed: "echo {marker} >> /run/db/rows"
              remove: "sed -i '/^{marker}$/d' /run/db/rows"
              check: "grep -qx '{marker}' /run/db/rows"

        """;

    private static string Db(TestDb db)
    {
        const string memory = """
                command:
                  - sh
                  - -c
                  - |
                    mkdir -p /data/db /run/db
                    if [ -f /data/db/rows ]; then cp /data/db/rows /run/db/rows; else : > /run/db/rows; fi
                    touch /run/ready
                    trap 'cp /run/db/rows /data/db/rows; exit 0' TERM INT
                    while :; do mkdir -p /data/db; cp /run/db/rows /data/db/rows.tmp && mv /data/db/rows.tmp /data/db/rows; sleep 1; done
            """;
        return db switch
        {
            TestDb.Plain => """
                    command: ["sh", "-c", "mkdir -p /run && touch /data/ready /run/ready; trap 'exit 0' TERM INT; while :; do sleep 1; done"]
                """,
            TestDb.MemoryWithDump => memory + """

                    deploy:
                      labels:
                        backupbot.backup: "true"
                        backupbot.backup.pre-hook: "cp /run/db/rows /data/backup.sql"
                        backupbot.backup.volumes.data.path: "backup.sql"
                        backupbot.restore.post-hook: "cp /data/backup.sql /run/db/rows"
                """,
            _ => memory + """

                    deploy:
                      labels:
                        backupbot.backup: "true"
                """,
        };
    }

    public static string Compose(TestRelease r) => $$"""
        version: "3.8"
        services:
          app:
            image: recipe-ci/busybox:1
            command:
              - sh
              - -c
              - |
                {{(r.Visitor is { } v ? TestLoginPage.Setup("/run/secrets/token", v.FormAction) : $"mkdir -p /var/www && echo \"{r.Version}\" > /var/www/index.html")}}
                {{(r.ExitCode is { } code ? $"exit {code}" : r.StartDelayS > 0 ? $"sleep {r.StartDelayS}" : ":")}}
                httpd -p {{r.ListensOn}} -h {{(r.Visitor is null ? "/var/www" : "/www")}}
                trap {{(r.IgnoresTerm ? "''" : "'exit 0'")}} TERM INT
                while :; do sleep 1; done
            stop_grace_period: 10s   # docker's default, written out: IgnoresTerm waits all of it
            secrets: [token]
            healthcheck:
              test: ["CMD-SHELL", "{{(r.AppHealthy ? "wget -q -O /dev/null http://127.0.0.1:80/" : "test -f /never-there")}}"]
              interval: 1s
              timeout: 2s
              retries: 2
              # A loaded CI host can be slow to start a container; a healthy app is marked healthy at
              # its first passing check anyway, and a broken one still fails within seconds.
              start_period: {{(r.AppHealthy ? 20 + r.StartDelayS : 2)}}s
            deploy:
              restart_policy:
                condition: any
                delay: 1s
              update_config:
                failure_action: {{r.FailureAction}}
                order: {{r.UpdateOrder}}
                monitor: 4s
              labels:
                - "coop-cloud.${STACK_NAME}.version={{r.Version}}"
        {{(r.Visitor is { } visitor ? VisitorLabels(visitor) : "")}}
          db:
            image: recipe-ci/busybox:1
            volumes: [{{r.DataVolume}}:/data]
            healthcheck:
              # In the container's own layer: a restore that rewrites the volume must not look like a crash.
              test: ["CMD", "test", "-f", "/run/ready"]
              interval: 1s
              retries: 3
              start_period: 20s
        {{Db(r.Db)}}
        {{r.ExtraServices}}
        volumes:
          {{r.DataVolume}}:
        {{r.ExtraVolumes}}
        secrets:
          token:
            external: true
            name: ${STACK_NAME}_token_${SECRET_TOKEN_VERSION}
        {{(r.Visitor is null ? "" : "networks:\n  proxy:\n    external: true\n")}}
        """;

    /// <summary>abra's traefik labels for the app, and its networks: the stack's own and proxy.</summary>
    private static string VisitorLabels(TestVisitor v) => $$"""
                - "traefik.enable=true"
                - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port={{v.Port}}"
                - "traefik.http.routers.${STACK_NAME}.rule=Host(`{{v.Host}}`)"
                - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"
                - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"
            networks: [default, proxy]
        """;
}
