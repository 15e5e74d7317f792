using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

public sealed class ComposeAndEnvTests
{
    [Fact]
    public void Reads_coop_cloud_labels_in_list_form()
    {
        var c = ComposeFile.Parse("""
            services:
              app:
                deploy:
                  labels:
                    - "traefik.enable=true"
                    - "coop-cloud.${STACK_NAME}.version=0.9.0+3.5.0"
                    - "coop-cloud.${STACK_NAME}.timeout=${TIMEOUT:-300}"
            """, "compose.yml");
        Assert.Equal("0.9.0+3.5.0", c.VersionLabel);
        Assert.Equal(300, c.TimeoutLabel(new Dictionary<string, string>()));
        Assert.Equal(900, c.TimeoutLabel(new Dictionary<string, string> { ["TIMEOUT"] = "900" }));
    }

    [Fact]
    public void Reads_coop_cloud_labels_in_map_form()
    {
        var c = ComposeFile.Parse("services:\n  app:\n    deploy:\n      labels:\n        coop-cloud.${STACK_NAME}.version: 1.0.0+2\n", "compose.yml");
        Assert.Equal("1.0.0+2", c.VersionLabel);
        Assert.Null(ComposeFile.Parse("services:\n  web: {image: x}\n", "c.yml").VersionLabel);
    }

    [Fact]
    public void Invalid_compose_names_the_file_and_line()
    {
        var ex = Assert.Throws<ConfigException>(() => ComposeFile.Parse("services:\n  app: [1, 2]\n", "compose.yml"));
        Assert.StartsWith("compose.yml:2: services.app: expected a mapping", ex.Message);
        Assert.Throws<ConfigException>(() => ComposeFile.Parse("services: {app: [\n", "compose.yml"));
    }

    [Fact]
    public void Env_file_builds_compose_file_line_by_line_and_sets_keys()
    {
        var env = EnvFile.FromText("a.env", "TYPE=hello:1.0.0+1\nCOMPOSE_FILE=\"compose.yml\"\nCOMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\"\nSECRET_DB_VERSION=v1 # length=32\n");
        Assert.Equal("compose.yml:compose.smtp.yml", env.Get("COMPOSE_FILE"));
        Assert.Equal("v1", env.Get("SECRET_DB_VERSION"));
        env.Set("COMPOSE_FILE", "compose.yml:compose.smtp.yml:compose.ccci.yml");
        Assert.Equal("compose.yml:compose.smtp.yml:compose.ccci.yml", env.Get("COMPOSE_FILE"));
        Assert.Single(env.ToString().Split('\n'), l => l.StartsWith("COMPOSE_FILE="));
        env.Set("NEW", "x y");
        Assert.Equal("x y", env.Get("NEW"));
    }

    [Fact]
    public void Interpolation_follows_compose_defaults()
    {
        var values = new Dictionary<string, string> { ["A"] = "1", ["EMPTY"] = "" };
        Assert.Equal("1-2-3-", EnvFile.Interpolate("${A}-${B:-2}-${EMPTY:-3}-$NOPE", values));
        // As the engine read the same file: '-' keeps an empty value, '$$' is a literal '$'.
        Assert.Equal("|dflt|a$b", EnvFile.Interpolate("${EMPTY-dflt}|${UNSET-dflt}|a$$b", values));
        Assert.Equal("1", EnvFile.Interpolate("${A:?set it}", values));
        Assert.Equal("required variable EMPTY is missing a value: set it",
            Assert.Throws<ConfigException>(() => EnvFile.Interpolate("${EMPTY:?set it}", values)).Message);
        Assert.Equal("", EnvFile.Interpolate("${EMPTY?set it}", values));
        Assert.Throws<ConfigException>(() => EnvFile.Interpolate("${UNSET?}", values));
    }

    [Fact]
    public void A_deploy_passes_the_docker_cli_the_apps_values_and_its_own_engine_variables_only()
    {
        Environment.SetEnvironmentVariable("RECIPE_CI_TEST_HOST_SECRET", "from-the-ci-host");
        try
        {
            var env = AppEnv.DeployEnvironment(new Dictionary<string, string> { ["STACK_NAME"] = "s", ["PATH"] = "/usr/bin" });
            Assert.True(env.ContainsKey("RECIPE_CI_TEST_HOST_SECRET") && env["RECIPE_CI_TEST_HOST_SECRET"] is null);   // removed, not inherited
            Assert.Equal(("s", "/usr/bin"), (env["STACK_NAME"], env["PATH"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("RECIPE_CI_TEST_HOST_SECRET", null);
        }
        // A recipe's env can never point the docker CLI elsewhere: engine variables are the harness's own.
        var dir = Directory.CreateTempSubdirectory("recipe-ci-env-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "app.env"), "DOCKER_HOST=tcp://elsewhere:2375\nHOME=/somewhere\nKEY=v\n");
            var values = AppEnv.Load(Path.Combine(dir, "app.env"), dir).Values(new Naming.StackName("s"));
            Assert.False(values.ContainsKey("DOCKER_HOST") && values["DOCKER_HOST"] == "tcp://elsewhere:2375");
            Assert.Equal(Environment.GetEnvironmentVariable("HOME"), values.GetValueOrDefault("HOME"));
            Assert.Equal("v", values["KEY"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
