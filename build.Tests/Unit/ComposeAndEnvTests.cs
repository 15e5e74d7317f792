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
}
