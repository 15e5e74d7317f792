using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>L003 depends_on, L004/L005 image pinning, L006 healthchecks.</summary>
public static class ServiceDefinitionChecks
{
    /// <summary>
    /// L003. Swarm ignores depends_on, but <c>docker compose config</c> rejects the whole project,
    /// and the name says the maintainer means a service that is not there (discourse: sidekiq
    /// depending on 'discourse' while the service is 'app'). Judged on each project a deploy can
    /// make: a service an enabled overlay defines is defined.
    /// </summary>
    public static IEnumerable<LintFinding> DependsOn(RecipeTree tree) =>
        from project in tree.Projects
        let defined = project.Services.Select(s => s.Name).ToHashSet()
        from definition in project.Services.SelectMany(s => s.Definitions)
        from name in RecipeTree.Names(definition.Definition.Get("depends_on"))
        where !defined.Contains(name.Value ?? "")
        select LintRules.DependsOnUndefined.At(definition.File.Path, name,
            $"services.{definition.Definition.Name}.depends_on names '{name.Value}', which no file of COMPOSE_FILE={Files(project)} defines " +
            $"(services: {string.Join(", ", defined.Order())})");

    private static string Files(RecipeProject project) => string.Join(':', project.Files.Select(f => f.Path));

    /// <summary>L004, L005: an unpinned image deploys whatever the registry serves that day, not the tested ref.</summary>
    public static IEnumerable<LintFinding> Images(RecipeTree tree)
    {
        foreach (var (file, service) in tree.Services)
        {
            if (service.Get("image") is not YamlScalarNode { Value: { } raw } node) continue;
            var image = ImageReference.Parse(tree.Expand(raw));
            if (image.IsPinned) continue;
            yield return image.Tag.Length == 0
                ? LintRules.ImageUntagged.At(file.Path, node, $"services.{service.Name}.image '{raw}' has no tag")
                : LintRules.ImageLatest.At(file.Path, node, $"services.{service.Name}.image '{raw}' is on 'latest'");
        }
    }

    /// <summary>
    /// L006: without a healthcheck swarm calls a task running as soon as its process starts, so
    /// convergence cannot tell a service that serves from one that does not. Judged on the merged
    /// service of each project: an overlay may add (or disable) what compose.yml defines, and a
    /// healthcheck merged in with <c>&lt;&lt;: *defaults</c> is the service's own.
    /// </summary>
    public static IEnumerable<LintFinding> Healthchecks(RecipeTree tree) =>
        from project in tree.Projects
        from service in project.Services
        let healthcheck = service.View.Get("healthcheck")
        where !HasHealthcheck(healthcheck)
        let first = service.Definitions[0]
        select healthcheck is not null
            ? LintRules.NoHealthcheck.At(project.FileOf(healthcheck).Path, healthcheck, $"services.{service.Name}: the healthcheck is disabled or has no test")
            : LintRules.NoHealthcheck.At(first.File.Path, RecipeTree.NameNode(first.File, first.Definition), $"services.{service.Name} has no healthcheck");

    private static bool HasHealthcheck(YamlNode? node)
    {
        if (node is not YamlMappingNode map) return false;
        if (map.Children.TryGetValue(new YamlScalarNode("disable"), out var d) && d is YamlScalarNode { Value: "true" }) return false;
        if (!map.Children.TryGetValue(new YamlScalarNode("test"), out var test)) return false;
        var first = test switch
        {
            YamlSequenceNode seq => (seq.Children.FirstOrDefault() as YamlScalarNode)?.Value,
            YamlScalarNode s => s.Value,
            _ => null,
        };
        return first is not null and not "NONE";
    }
}
