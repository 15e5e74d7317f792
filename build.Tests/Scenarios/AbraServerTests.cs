using RecipeCi.Results;
using Newtonsoft.Json.Linq;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>What a release of a server-shaped test recipe adds to a busybox web app (YAML for the app service, its labels, the file's top level).</summary>
internal sealed record ServerRelease(string Version, bool Tagged)
{
    public string EnvSample { get; init; } = ServerRecipe.Sample;
    /// <summary>Extra keys of the app service, indented for it.</summary>
    public string App { get; init; } = "";
    /// <summary>Extra deploy labels of the app service, one "- ..." line each, indented for the list.</summary>
    public string Labels { get; init; } = "";
    /// <summary>Extra keys under the app service's deploy, indented for it.</summary>
    public string Deploy { get; init; } = "";
    /// <summary>Top-level YAML (networks, secrets).</summary>
    public string Top { get; init; } = "";
    /// <summary>Shell lines the app runs before it serves.</summary>
    public string Start { get; init; } = "";
}

/// <summary>
/// Recipes shaped like real Co-op Cloud recipes, written here: what an abra server gives them
/// (the proxy network, keys and secrets added on upgrade) must not be charged to the recipe.
/// </summary>
internal static class ServerRecipe
{
    public const string Sample = "TYPE=srv\nDOMAIN=srv.example.com\nLETS_ENCRYPT_ENV=production\nCOMPOSE_FILE=\"compose.yml\"\n";

    public static RecipeHistory History(params ServerRelease[] releases) => new([.. releases.Select(Commit)]);

    private static HistoryCommit Commit(ServerRelease r) =>
        new(r.Tagged ? $"chore: publish {r.Version} release" : $"feat: {r.Version}", r.Tagged ? r.Version : null, new Dictionary<string, string>
        {
            ["compose.yml"] = $$"""
                version: "3.8"
                services:
                  app:
                    image: recipe-ci/busybox:1
                    command:
                      - sh
                      - -c
                      - |
                        mkdir -p /var/www && echo "{{r.Version}}" > /var/www/index.html
                        {{r.Start}}
                        httpd -p 80 -h /var/www
                        trap 'exit 0' TERM INT
                        while :; do sleep 1; done
                    healthcheck:
                      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"]
                      interval: 1s
                      timeout: 2s
                      retries: 3
                      start_period: 20s
                {{r.App}}
                    deploy:
                      update_config: {failure_action: rollback, order: start-first, monitor: 3s}
                {{r.Deploy}}
                      labels:
                        - "coop-cloud.${STACK_NAME}.version={{r.Version}}"
                {{r.Labels}}
                {{r.Top}}
                """,
            [".env.sample"] = r.EnvSample,
            ["README.md"] = $"# server-shaped test recipe\n\nversion {r.Version}\n",
        });

    /// <summary>
    /// An image whose only file (besides its page) is a static busybox named /busybox-server: busybox
    /// takes its applet from argv[1] when its own name starts with "busybox". No sh, wget or curl on
    /// any path, so exec of "sh" fails as in a distroless image.
    /// </summary>
    public const string NoShellImage = "recipe-ci/noshell:1";

    public static async Task EnsureNoShellImageAsync()
    {
        var runner = new CommandRunner();
        if ((await runner.RunAsync(new Command("docker", "image", "inspect", NoShellImage) { Check = false })).Succeeded) return;
        await runner.RunAsync(new Command("sh", "-c", $"""
            set -e
            root=$(mktemp -d)
            cp /bin/busybox "$root/busybox-server"
            mkdir "$root/www" && echo "no shell here" > "$root/www/index.html"
            tar -C "$root" -c . | docker import -c 'ENTRYPOINT ["/busybox-server", "httpd", "-f", "-p", "80", "-h", "/www"]' - {NoShellImage}
            rm -rf "$root"
            """));
    }
}

/// <summary>Nearly every recipe joins the external proxy network its server's traefik provides.</summary>
public sealed class ProxyNetworkTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task App_on_the_external_proxy_network_with_traefik_labels_deploys_and_passes()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("prox", ServerRecipe.History(new ServerRelease("1.0.0+1", true)
        {
            App = "    networks: [proxy, internal]",
            Labels = """
                        - "traefik.enable=true"
                        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"
                        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"
                        - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"
                        - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"
                """,
            Top = "networks:\n  proxy:\n    external: true\n  internal:\n",
        }));

        var run = await _ws.RunAsync("Install", "prox", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("prox", run));
        var r = _ws.Results("prox");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
        // The server's network outlives the app: teardown never removes what the server provides.
        Assert.True((await new CommandRunner().RunAsync(new Command("docker", "network", "inspect", "proxy") { Check = false })).Succeeded);
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A deploy the host cannot take (it lacks a network, a node) says what the host lacks; it is no verdict on the release.</summary>
public sealed class HostLacksTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Stack_needing_an_external_network_the_host_lacks_is_an_error_not_baseline_broken()
    {
        await LocalSwarm.EnsureAsync();
        var needsNet = new ServerRelease("1.0.0+1", true)
        {
            App = "    networks: [backend]",
            Top = "networks:\n  backend:\n    external: true\n    name: rci-absent-net\n",
        };
        // The operator allows the external network (L022 refuses one but proxy), so the deploy meets the host's lack of it.
        await _ws.AddRecipeAsync("nonet", ServerRecipe.History(needsNet, needsNet with { Version = "1.1.0+2", Tagged = false }), "    allow: [external-object]\n");

        var run = await _ws.RunAsync("Upgrade", "nonet", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("nonet", run));
        var r = _ws.Results("nonet");
        Assert.Equal(Verdict.Error, r.Verdict);
        var deploy = r.Stages.Single(s => s.Stage == StageId.DeployBase);
        Assert.Equal(StageStatus.Error, deploy.Status);
        Assert.Contains("rci-absent-net", deploy.Reason);
        Assert.Contains("docker network create", deploy.Reason);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Stack_placed_on_a_node_label_the_host_lacks_is_an_error_not_baseline_broken()
    {
        await LocalSwarm.EnsureAsync();
        var placed = new ServerRelease("1.0.0+1", true) { Deploy = "      placement:\n        constraints: [node.labels.rci-absent == yes]" };
        await _ws.AddRecipeAsync("noplace", ServerRecipe.History(placed, placed with { Version = "1.1.0+2", Tagged = false }));

        var run = await _ws.RunAsync("Upgrade", "noplace", "--abra=local");

        Assert.True(run.ExitCode == 1, _ws.Explain("noplace", run));
        var r = _ws.Results("noplace");
        Assert.Equal(Verdict.Error, r.Verdict);
        var converge = r.Stages.Single(s => s.Stage == StageId.AwaitBaseConvergence);
        Assert.Equal(StageStatus.Error, converge.Status);
        Assert.Contains("scheduling constraints not satisfied", converge.Reason);
        Assert.Contains("docker node update --label-add", converge.Reason);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>Distroless and scratch images have no shell and no HTTP client: the probes bring their own.</summary>
public sealed class NoShellImageTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task App_image_without_shell_wget_or_curl_passes_health_http_and_tcp_checks()
    {
        await LocalSwarm.EnsureAsync();
        await ServerRecipe.EnsureNoShellImageAsync();
        // The fixture really has no shell: an exec of sh fails as it does in a distroless image.
        var sh = await new CommandRunner().RunAsync(new Command("docker", "run", "--rm", "--entrypoint", "sh", ServerRecipe.NoShellImage, "-c", "true") { Check = false });
        Assert.False(sh.Succeeded, sh.Output);
        await _ws.AddRecipeAsync("nosh", new RecipeHistory([new HistoryCommit("chore: publish 1.0.0+1 release", "1.0.0+1", new Dictionary<string, string>
        {
            ["compose.yml"] = $$"""
                version: "3.8"
                services:
                  app:
                    image: {{ServerRecipe.NoShellImage}}
                    healthcheck:
                      test: ["CMD", "/busybox-server", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"]
                      interval: 1s
                      timeout: 2s
                      retries: 3
                      start_period: 20s
                    deploy:
                      labels:
                        - "coop-cloud.${STACK_NAME}.version=1.0.0+1"
                """,
            [".env.sample"] = ServerRecipe.Sample,
        })]), "    probes:\n      - tcp: {service: app, port: 80, stable: 2}\n");
        Directory.CreateDirectory(Path.Combine(_ws.Root, "tests", "nosh"));
        await File.WriteAllTextAsync(Path.Combine(_ws.Root, "tests", "nosh", "checks.yaml"), """
            checks:
              - name: serves its page
                http: {service: app, port: 80, path: /, status: [200], contains: "no shell here"}
              - name: keeps its port open
                tcp: {service: app, port: 80, stable: 2}
            """);

        var run = await _ws.RunAsync("Custom", "nosh", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("nosh", run));
        var r = _ws.Results("nosh");
        Assert.Equal(Verdict.Passed, r.Verdict);
        Assert.Equal([true, true], r.Stages.Single(s => s.Stage == StageId.CustomChecks).Checks.Select(c => c.Passed));
        var healthy = await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("nosh", StageId.AwaitBaseHealthy), "health.txt"));
        Assert.Contains("status=200", healthy);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>An operator upgrading adds the head's new env keys and generates its new secrets first; so does the run.</summary>
public sealed class UpgradeAddsKeysTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Head_adding_a_secret_is_upgraded_with_the_secret_generated_and_its_value_nowhere_in_the_artifacts()
    {
        await LocalSwarm.EnsureAsync();
        // The head's app copies its new secret to a folder of the test's, so the test knows the value to look for.
        var outside = Directory.CreateDirectory(Path.Combine(_ws.Root, "outside")).FullName;
        var head = new ServerRelease("1.1.0+2", false)
        {
            EnvSample = ServerRecipe.Sample + "SECRET_DB_PASSWORD_VERSION=v1 # length=48\n",
            Start = "test -s /run/secrets/db_password || exit 1; cp /run/secrets/db_password /outside/db_password",
            App = $"    secrets: [db_password]\n    volumes: [\"{outside}:/outside\"]",
            Top = "secrets:\n  db_password:\n    external: true\n    name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}\n",
        };
        // The mount of the test's folder is a host bind mount: the operator (this test) allows it.
        await _ws.AddRecipeAsync("addsec", ServerRecipe.History(new ServerRelease("1.0.0+1", true), head), "    allow: [host-bind-mount]\n");

        var run = await _ws.RunAsync("Upgrade", "addsec", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("addsec", run));
        var r = _ws.Results("addsec");
        Assert.Equal(Verdict.Passed, r.Verdict);
        var upgrade = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("addsec", StageId.ChaosRedeploy), "env-upgrade.json")));
        Assert.Equal(["SECRET_DB_PASSWORD_VERSION"], upgrade["added_keys"]!.Select(t => (string?)t));
        Assert.Equal("db_password", (string?)upgrade["generated_secrets"]![0]!["name"]);
        Assert.Equal("v1", (string?)upgrade["generated_secrets"]![0]!["version"]);
        var results = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.RunDir("addsec"), "results.json")));
        Assert.Equal("db_password v1", (string?)results["customization"]!["generated_secrets"]![0]);
        Assert.Equal("SECRET_DB_PASSWORD_VERSION", (string?)results["env_upgrade"]!["added_keys"]![0]);
        Assert.Contains("SECRET_DB_PASSWORD_VERSION", run.Output);

        var value = (await File.ReadAllTextAsync(Path.Combine(outside, "db_password"))).Trim();
        Assert.Equal(48, value.Length);
        var leaks = Directory.GetFiles(_ws.RunDir("addsec"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains(value, StringComparison.Ordinal)).ToList();
        Assert.Empty(leaks);
        Assert.DoesNotContain(value, run.Output);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    [Fact]
    public async Task Head_requiring_a_key_its_sample_leaves_empty_is_an_error_naming_it_until_the_catalogue_sets_it()
    {
        await LocalSwarm.EnsureAsync();
        var history = ServerRecipe.History(new ServerRelease("1.0.0+1", true), new ServerRelease("1.1.0+2", false)
        {
            EnvSample = ServerRecipe.Sample + "## The name the app greets with (required)\nGREETING=\n",
            App = "    environment:\n      - GREETING=${GREETING:?set GREETING}",
        });
        await _ws.AddRecipeAsync("reqk", history);
        await _ws.AddRecipeAsync("reqset", history, "    env: {GREETING: hello}\n");

        var runs = await Task.WhenAll(_ws.RunAsync("Upgrade", "reqk", "--abra=local"), _ws.RunAsync("Upgrade", "reqset", "--abra=local"));

        Assert.True(runs[0].ExitCode == 1, _ws.Explain("reqk", runs[0]));
        var r = _ws.Results("reqk");
        Assert.Equal(Verdict.Error, r.Verdict);
        // VetHead needs the head's values to vet its project, so it is the first to meet the missing key.
        var vet = r.Stages.Single(s => s.Stage == StageId.VetHead);
        Assert.Equal(StageStatus.Error, vet.Status);
        Assert.Contains("GREETING", vet.Reason);
        Assert.Contains("env:", vet.Reason);
        Assert.Equal(StageStatus.Unverified, r.Stages.Single(s => s.Stage == StageId.ChaosRedeploy).Status);
        Assert.True(runs[1].ExitCode == 0, _ws.Explain("reqset", runs[1]));
        Assert.Equal(Verdict.Passed, _ws.Results("reqset").Verdict);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
