using Newtonsoft.Json.Linq;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// The engine is the reference for what a compose file means: the same files are deployed with
/// <c>docker stack deploy -c compose.yml -c postgres/compose.postgres.yml</c> and the specs swarm
/// made are compared with what the recipe model resolved (image, environment, labels, healthcheck,
/// secrets, configs).
/// </summary>
public sealed class RecipeModelEngineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-model-").FullName;
    private readonly string _stack = $"model{Guid.NewGuid():N}"[..14];
    private readonly CommandRunner _runner = new();

    private const string Main = """
        version: "3.8"
        x-health: &health
          healthcheck:
            test: ["CMD", "test", "-n", "${HEALTH_WORD:-alive}"]
            interval: 5s
        services:
          app:
            <<: *health
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "sleep 3600"]
            environment:
              FROM_DEFAULT: "${UNSET_KEY:-fallback}"
              EMPTY_KEPT: "${EMPTY_KEY-unused}"
              DOLLAR: "cost $$5"
              OVERRIDDEN: main
            secrets: [api_key]
            configs:
              - source: entrypoint
                target: /entrypoint.sh
            deploy:
              labels:
                - "coop-cloud.${STACK_NAME}.version=1.0.0+1"
                - "main.only=yes"
        secrets:
          api_key:
            external: true
            name: ${STACK_NAME}_api_key_${SECRET_API_KEY_VERSION}
        configs:
          entrypoint:
            name: ${STACK_NAME}_entrypoint_${ENTRYPOINT_VERSION}
            file: entrypoint.sh
        """;

    private const string Overlay = """
        version: "3.8"
        services:
          app:
            environment:
              OVERRIDDEN: overlay
              FROM_OVERLAY: "${DB_NAME}"
            deploy:
              labels:
                overlay.label: "${DB_NAME}"
          db:
            image: recipe-ci/busybox:1
            command: ["sh", "-c", "sleep 3600"]
        """;

    [Fact]
    public async Task The_model_resolves_what_the_engine_deploys()
    {
        await LocalSwarm.EnsureAsync();
        Directory.CreateDirectory(Path.Combine(_dir, "postgres"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "compose.yml"), Main);
        await File.WriteAllTextAsync(Path.Combine(_dir, "postgres", "compose.postgres.yml"), Overlay);
        await File.WriteAllTextAsync(Path.Combine(_dir, "entrypoint.sh"), "#!/bin/sh\n");
        // abra.sh's export and the env file's values, as the local driver hands them to the deploy.
        var values = new Dictionary<string, string>
        {
            ["STACK_NAME"] = _stack, ["ENTRYPOINT_VERSION"] = "v3", ["SECRET_API_KEY_VERSION"] = "v1", ["DB_NAME"] = "things", ["EMPTY_KEY"] = "",
        };
        await Docker(["secret", "create", $"{_stack}_api_key_v1", "-"], stdin: "not-a-real-secret-value");
        await Docker(["stack", "deploy", "--resolve-image", "never", "-c", "compose.yml", "-c", "postgres/compose.postgres.yml", _stack], values);

        var project = RecipeProject.Load(_dir, ["compose.yml", "postgres/compose.postgres.yml"], values);
        Assert.Equal(["app", "db"], project.Services.Select(s => s.Name));
        var app = project.Service("app")!;
        var spec = JArray.Parse((await Docker(["service", "inspect", $"{_stack}_app"])).Stdout)[0]["Spec"]!;
        var container = spec["TaskTemplate"]!["ContainerSpec"]!;

        Assert.Equal((string?)container["Image"], project.Image(app));
        Assert.Equal(container["Env"]!.Select(e => (string)e!).Order(), project.Environment(app).Select(kv => $"{kv.Key}={kv.Value}").Order());
        Assert.Equal(container["Healthcheck"]!["Test"]!.Select(t => (string)t!), project.HealthcheckTest(app));
        var labels = ((JObject)spec["Labels"]!).Properties().Where(p => !p.Name.StartsWith("com.docker.stack.", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => (string)p.Value!);
        Assert.Equal(labels.OrderBy(kv => kv.Key), project.Labels(app).OrderBy(kv => kv.Key));
        Assert.Equal(container["Secrets"]!.Select(s => (string)s["SecretName"]!), project.SwarmNames(app, "secrets"));
        Assert.Equal(container["Configs"]!.Select(c => (string)c["ConfigName"]!), project.SwarmNames(app, "configs"));
        // The values the model had to get right, spelled out.
        Assert.Equal(("fallback", "", "cost $5", "overlay"), (project.Environment(app)["FROM_DEFAULT"], project.Environment(app)["EMPTY_KEPT"],
            project.Environment(app)["DOLLAR"], project.Environment(app)["OVERRIDDEN"]));
        Assert.Equal($"{_stack}_entrypoint_v3", project.SwarmNames(app, "configs").Single());
    }

    private async Task<CommandResult> Docker(string[] args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null) =>
        await _runner.RunAsync(new Command("docker", args)
        {
            WorkingDirectory = _dir, StandardInput = stdin,
            Environment = (env ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
        });

    public void Dispose()
    {
        _ = Docker(["stack", "rm", _stack]).GetAwaiter().GetResult();
        // The stack's secret and config go once its tasks are gone.
        _ = Poll.UntilAsync(new PollPlan(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)), TimeProvider.System,
            async () => (await _runner.RunAsync(new Command("docker", ["secret", "rm", $"{_stack}_api_key_v1"]) { Check = false })).Succeeded,
            null, CancellationToken.None).GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }
}
