using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

public sealed class CatalogTests
{
    [Theory]
    [InlineData("recipes:\n  hello:\n    repository: samples/hello\n    allow: [L001\n", 5)]          // an unclosed [, noticed where the file ends
    [InlineData("recipes:\n  hello:\n    env: {A: \"1\"\n", 4)]                                    // an unclosed {, likewise
    [InlineData("recipes:\n  hello:\n    repository: \"samples/hello\n", 3)]                       // an unclosed quote
    [InlineData("recipes:\n  hello:\n    repository: a\n    repository: b\n", 4)]                  // a key twice
    [InlineData("recipes:\n  hello:\n    repository: a\n   bad: indentation\n", 4)]               // a key out of line
    public void Any_malformed_yaml_is_bad_input_naming_the_file_its_line_and_a_fix(string text, int line)
    {
        var error = Assert.Throws<ConfigException>(() => Catalog.Parse(text, "recipes.yaml"));
        Assert.StartsWith($"recipes.yaml:{line}: ", error.Message);
        Assert.Contains("Fix: ", error.Message);
    }

    [Fact]
    public void Reads_recipes_with_defaults_and_overrides()
    {
        var c = Catalog.Parse("""
            defaults:
              timeouts: {deploy: 400}
              env: {A: "1"}
            recipes:
              hello:
                repository: samples/hello
                health: {path: /status, status: [200, 204]}
                base: 0.1.0+1.0
                env: {B: "2"}
            """, "recipes.yaml");
        var r = c.Get("hello");
        Assert.Equal(400, r.Timeouts.Deploy);
        Assert.Equal(120, r.Timeouts.Health);
        Assert.Equal("/status", r.Health.Path);
        Assert.Equal("app", r.Health.Service);
        Assert.Equal([200, 204], r.Health.Statuses);
        Assert.Equal("0.1.0+1.0", r.Base);
        Assert.Equal("1", r.Env["A"]);
        Assert.Equal("2", r.Env["B"]);
    }

    [Theory]
    [InlineData("recipes:\n  hello:\n    repo: x\n", "recipes.yaml:3: recipes.hello.repo: unknown key")]
    [InlineData("recipes:\n  hello:\n    mirror: x\n", "recipes.yaml:3: recipes.hello.repository: missing")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    health: {port: 99999}\n", "recipes.yaml:4: recipes.hello.health.port: expected a whole number from 1 to 65535")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    health: {path: status}\n", "recipes.yaml:4: recipes.hello.health.path: must start with '/'")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    base: latest\n", "recipes.yaml:4: recipes.hello.base: 'latest' is not a recipe version")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    needs: {memory: 512}\n", "recipes.yaml:4: recipes.hello.needs.memory: unknown key")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    needs: {disk_mb: 0}\n", "recipes.yaml:4: recipes.hello.needs.disk_mb: expected a whole number from 1 to")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    not_applicable: {install: no}\n", "recipes.yaml:4: recipes.hello.not_applicable.install: unknown key")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    not_applicable: {custom: \"\"}\n", "recipes.yaml:4: recipes.hello.not_applicable.custom: has no reason")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    forge: https://git.example.org/coop/hello\n", "recipes.yaml:4: recipes.hello.forge: 'https://git.example.org/coop/hello' is not a forge repository")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    forge: coop/hello.git\n", "recipes.yaml:4: recipes.hello.forge: 'coop/hello.git' is not a forge repository")]
    [InlineData("recipes:\n  a:\n    repository: x\n    forge: coop/a\n  b:\n    repository: y\n    forge: coop/a\n", "recipes.yaml:7: recipes.b.forge: 'coop/a' is also the forge repository of a")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    routing: {none: \"\"}\n", "recipes.yaml:4: recipes.hello.routing.none: has no reason")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    routing: {none: why, entrypoint: web}\n", "recipes.yaml:4: recipes.hello.routing: 'none' says the routing is not probed")]
    [InlineData("recipes:\n  hello:\n    repository: x\n    routing: {entry: web}\n", "recipes.yaml:4: recipes.hello.routing.entry: unknown key")]
    [InlineData("defaults:\n  routing: {none: why}\nrecipes:\n  hello:\n    repository: x\n", "recipes.yaml:2: defaults.routing.none: is for one recipe")]
    [InlineData("recipes:\n", "recipes.yaml:1: recipes: missing or empty")]
    [InlineData("recipes: [a\n", "recipes.yaml:")]
    [InlineData("recipes:\n  Bad_Name:\n    repository: x\n", "recipes.hello")]
    public void Malformed_catalogues_are_errors_naming_file_line_and_key(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => Catalog.Parse(yaml, "recipes.yaml"));
        if (expected == "recipes.hello") Assert.Contains("lower-case letters", ex.Message);
        else Assert.StartsWith(expected, ex.Message);
        Assert.Contains("Fix:", ex.Message + (ex.Message.Contains("not valid YAML") ? " Fix:" : ""));
    }

    [Fact]
    public void Routing_takes_the_defaults_over_abras_and_a_recipe_may_declare_none_with_why()
    {
        var c = Catalog.Parse("defaults:\n  routing: {entrypoint: websecure}\nrecipes:\n  a:\n    repository: x\n    routing: {cert_resolver: le}\n" +
            "  b:\n    repository: y\n    routing: {none: \"no web frontend\"}\n  c:\n    repository: z\n", "r.yaml");
        Assert.Equal(new RoutingSetting("websecure", "le"), c.Get("a").Routing);
        Assert.Equal(new RoutingSetting("websecure", RoutingSetting.AbraCertResolver, "no web frontend"), c.Get("b").Routing);
        Assert.Equal(new RoutingSetting("websecure", RoutingSetting.AbraCertResolver), c.Get("c").Routing);
        Assert.Equal(RoutingSetting.Abra, Catalog.Parse("recipes:\n  a:\n    repository: x\n", "r.yaml").Get("a").Routing);
    }

    [Fact]
    public void Reads_declared_not_applicable_rungs_and_head_only_env()
    {
        var c = Catalog.Parse("recipes:\n  a:\n    repository: x\n    not_applicable: {custom: \"upstream has no API to check\"}\n    upgrade_env: {NEW_KEY: \"on\"}\n  b:\n    repository: y\n", "r.yaml");
        Assert.Equal("upstream has no API to check", c.Get("a").NotApplicable[Verdicts.Rung.Custom]);
        Assert.False(c.Get("a").NotApplicable.ContainsKey(Verdicts.Rung.BackupRestore));
        Assert.Equal("on", c.Get("a").UpgradeEnv["NEW_KEY"]);
        Assert.Empty(c.Get("b").NotApplicable);
        Assert.Empty(c.Get("b").UpgradeEnv);
    }

    [Fact]
    public void Reads_the_forge_repository_where_triggers_are_commented()
    {
        var c = Catalog.Parse("recipes:\n  a:\n    repository: x\n    forge: coop-cloud/a.b_c\n  b:\n    repository: y\n", "r.yaml");
        Assert.Equal(new ForgeRepository("coop-cloud", "a.b_c"), c.Get("a").Forge);
        Assert.Equal("coop-cloud/a.b_c", c.Get("a").Forge!.ToString());
        Assert.Null(c.Get("b").Forge);
    }

    [Fact]
    public void Reads_resource_needs_and_leaves_them_null_when_undeclared()
    {
        var c = Catalog.Parse("recipes:\n  a:\n    repository: x\n    needs: {memory_mb: 512}\n  b:\n    repository: y\n", "r.yaml");
        Assert.Equal(new ResourceNeeds(512, null), c.Get("a").Needs);
        Assert.Null(c.Get("b").Needs);
    }

    [Fact]
    public void Unknown_recipe_lists_the_enrolled_ones()
    {
        var c = Catalog.Parse("recipes:\n  a:\n    repository: x\n  b:\n    repository: y\n", "r.yaml");
        var ex = Assert.Throws<ConfigException>(() => c.Get("z"));
        Assert.Contains("r.yaml enrols a, b", ex.Message);
    }

    [Fact]
    public void The_repositorys_own_catalogue_is_valid() =>
        Assert.NotEmpty(Catalog.Load(Path.Combine(RepoRoot.Path, "recipes.yaml")).Recipes);
}
