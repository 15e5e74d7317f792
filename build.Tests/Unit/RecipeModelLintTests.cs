using RecipeCi.Lint;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// Lint reads a recipe as a deploy does: the project .env.sample's COMPOSE_FILE enables (overlays in
/// subfolders too), abra.sh's exports, merge keys; an overlay the sample only offers is an
/// alternative of its own.
/// </summary>
public sealed class RecipeModelLintTests
{
    private static IReadOnlyList<LintFinding> Lint(Dictionary<string, string> files) => RecipeLinter.Lint(RecipeTree.FromTexts(files, []));

    private const string AppOnDb = "services:\n  app:\n    image: a:1\n    depends_on: [db]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";
    private const string Db = "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n";

    [Fact]
    public void A_service_from_an_enabled_overlay_in_a_subfolder_is_defined()
    {
        var findings = Lint(new()
        {
            ["compose.yml"] = AppOnDb,
            ["postgres/compose.postgres.yml"] = Db,
            [".env.sample"] = "COMPOSE_FILE=\"compose.yml:postgres/compose.postgres.yml\"\n",
        });
        Assert.DoesNotContain(findings, f => f.Rule == "L003");
        // Without the sample enabling it, the default deploy really lacks db.
        var alone = Lint(new() { ["compose.yml"] = AppOnDb, [".env.sample"] = "TYPE=x\n" });
        Assert.Single(alone, f => f.Rule == "L003" && f.Line == 4 && f.Message.Contains("COMPOSE_FILE=compose.yml"));
    }

    [Fact]
    public void A_compose_file_entry_the_tree_lacks_is_L000_naming_it()
    {
        var findings = Lint(new() { ["compose.yml"] = Db, [".env.sample"] = "COMPOSE_FILE=\"compose.yml:compose.smtp.yml\"\n" });
        var f = Assert.Single(findings, f => f.Rule == "L000");
        Assert.Equal("compose.smtp.yml", f.File);
        Assert.Contains("names compose.smtp.yml, which the recipe does not have", f.Message);
    }

    [Fact]
    public void Offered_overlays_are_alternatives_never_merged_into_one_another()
    {
        // The smtp overlay (offered in a commented line) depends on a service only the sso overlay defines.
        var findings = Lint(new()
        {
            ["compose.yml"] = Db,
            ["compose.smtp.yml"] = "services:\n  mailer:\n    image: a:1\n    depends_on: [sso]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
            ["compose.sso.yml"] = "services:\n  sso:\n    image: a:1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
            [".env.sample"] = "COMPOSE_FILE=\"compose.yml\"\n#COMPOSE_FILE=\"$COMPOSE_FILE:compose.smtp.yml\"\n",
        });
        var f = Assert.Single(findings, f => f.Rule == "L003");
        Assert.Equal(("compose.smtp.yml", 4), (f.File, f.Line));
        Assert.Contains("COMPOSE_FILE=compose.yml:compose.smtp.yml", f.Message);
    }

    [Fact]
    public void Config_names_use_the_versions_abra_sh_exports()
    {
        var findings = Lint(new()
        {
            ["compose.yml"] = Db + "configs:\n  entrypoint:\n    name: ${STACK_NAME}_entrypoint_conf_${ENTRYPOINT_CONF_VERSION}\n    file: entrypoint.sh\n",
            ["abra.sh"] = "export ENTRYPOINT_CONF_VERSION=v1234\n",
        });
        var f = Assert.Single(findings, f => f.Rule == "L008");
        Assert.Equal(8, f.Line);
        var name = new string('x', 45) + "_entrypoint_conf_v1234";
        Assert.Contains($"config name '{name}' is {name.Length} characters; swarm allows 64", f.Message);
    }

    [Fact]
    public void Merge_keys_bring_a_start_period_and_an_update_order_from_anchors()
    {
        var findings = Lint(new()
        {
            ["compose.yml"] = """
                x-health: &health
                  healthcheck:
                    test: ["CMD", "true"]
                    start_period: 10m
                x-deploy: &deploy
                  update_config:
                    order: start-first
                    failure_action: rollback
                services:
                  app:
                    <<: *health
                    image: a:1
                    deploy: *deploy
                """,
        });
        var f = Assert.Single(findings, f => f.Rule == "L001");
        Assert.Equal(7, f.Line);
        Assert.DoesNotContain(findings, f => f.Rule == "L006");
    }

    private static string Labelled(string appLabels, string otherLabels = "") => $$"""
        services:
          app:
            image: a:1
            healthcheck:
              test: ["CMD", "true"]
            deploy:
              labels:
        {{appLabels}}
          worker:
            image: a:1
            healthcheck:
              test: ["CMD", "true"]
            deploy:
              labels:
        {{otherLabels}}
        """;

    [Fact]
    public void L007_says_where_the_version_label_went_and_wants_the_upstream_part()
    {
        var onWorker = RecipeLinter.Lint(RecipeTree.FromTexts(new Dictionary<string, string>
        {
            ["compose.yml"] = Labelled("        - \"coop-cloud.${STACK_NAME}.app.version=1.0.3+1.0.3\"", "        - \"coop-cloud.${STACK_NAME}.version=1.0.3+1.0.3\""),
        }, []));
        var f = Assert.Single(onWorker, f => f.Rule == "L007");
        Assert.Contains("'coop-cloud.${STACK_NAME}.app.version=1.0.3+1.0.3' on app (compose.yml:8)", f.Message);
        Assert.Contains("on service worker (compose.yml:15)", f.Message);

        var bare = RecipeLinter.Lint(RecipeTree.FromTexts(new Dictionary<string, string>
            { ["compose.yml"] = Labelled("        - \"coop-cloud.${STACK_NAME}.version=1.0.3\"") }, []));
        Assert.Contains("has no +<upstream> part", Assert.Single(bare, f => f.Rule == "L007").Message);

        // A v-prefixed release tag on the tested commit names the label's release.
        Assert.DoesNotContain(RecipeLinter.Lint(RecipeTree.FromTexts(new Dictionary<string, string>
            { ["compose.yml"] = Labelled("        - \"coop-cloud.${STACK_NAME}.version=1.0.3+1.0.3\"") }, ["v1.0.3"])), f => f.Rule == "L007");
    }
}
