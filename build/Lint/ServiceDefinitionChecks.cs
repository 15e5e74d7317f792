using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>L003 depends_on, L004/L005 image pinning, L006 healthchecks.</summary>
public static class ServiceDefinitionChecks
{
    /// <summary>
    /// L003. Swarm ignores depends_on, but <c>docker compose config</c> rejects the whole project,
    /// and the name says the maintainer means a service that is not there (discourse: sidekiq
    /// depending on 'discourse' while the service is 'app'). An overlay is read on top of compose.yml.
    /// </summary>
    public static IEnumerable<LintFinding> DependsOn(RecipeTree tree)
    {
        var main = tree.Main?.Services.Select(s => s.Name).ToHashSet() ?? [];
        foreach (var file in tree.ComposeFiles)
        {
            var defined = file.Services.Select(s => s.Name).Concat(file == tree.Main ? [] : main).ToHashSet();
            foreach (var service in file.Services)
            {
                foreach (var name in RecipeTree.Names(service.Get("depends_on")).Where(n => !defined.Contains(n.Value ?? "")))
                    yield return LintRules.DependsOnUndefined.At(file.Path, name,
                        $"services.{service.Name}.depends_on names '{name.Value}', which is not defined (services: {string.Join(", ", defined.Order())})");
            }
        }
    }

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
    /// convergence cannot tell a service that serves from one that does not. Overlays may add the
    /// healthcheck of a service compose.yml defines, so every definition of a name counts.
    /// </summary>
    public static IEnumerable<LintFinding> Healthchecks(RecipeTree tree)
    {
        foreach (var definitions in tree.Services.GroupBy(d => d.Service.Name))
        {
            if (definitions.Any(d => HasHealthcheck(d.Service.Get("healthcheck")))) continue;
            var (file, service) = definitions.First();
            var disabled = service.Get("healthcheck") is not null;
            yield return LintRules.NoHealthcheck.At(file.Path, disabled ? service.Get("healthcheck") : RecipeTree.NameNode(file, service),
                disabled ? $"services.{service.Name}: the healthcheck is disabled or has no test" : $"services.{service.Name} has no healthcheck");
        }
    }

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
