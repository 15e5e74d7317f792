using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// L009–L013: a PR recipe is untrusted code that the CI deploys on its own host. Anything that
/// hands a container the docker daemon, the host's files, extra kernel powers or the host's
/// network lets a PR take the host over.
/// </summary>
public static class HostAccessChecks
{
    private static readonly HashSet<string> SocketPaths = ["/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run"];
    private static readonly HashSet<string> HostControlPaths = ["/", "/etc", "/root", "/boot", "/dev", "/var/lib/docker"];

    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var file in tree.ComposeFiles)
        {
            var hostNetworks = HostNetworks(tree, file);
            foreach (var service in file.Services)
            {
                var at = $"services.{service.Name}";
                foreach (var mount in ServiceMount.Of(service, tree).Where(m => m.IsBind))
                {
                    if (SocketPaths.Contains(mount.HostPath))
                        yield return LintRules.DockerSocket.At(file.Path, mount.Node, $"{at} mounts {mount.Source} (the docker socket) at {mount.Target}");
                    else if (HostControlPaths.Contains(mount.HostPath) || mount.HostPath.StartsWith("/var/lib/docker/", StringComparison.Ordinal))
                        yield return LintRules.HostRootMount.At(file.Path, mount.Node, $"{at} mounts the host's {mount.Source} at {mount.Target}");
                }
                if (service.Get("privileged") is YamlScalarNode { Value: { } privileged } p && privileged.Equals("true", StringComparison.OrdinalIgnoreCase))
                    yield return LintRules.Privileged.At(file.Path, p, $"{at} is privileged");
                if (service.Get("cap_add") is YamlSequenceNode { Children.Count: > 0 } caps)
                    yield return LintRules.CapAdd.At(file.Path, caps,
                        $"{at}.cap_add adds {string.Join(", ", caps.Children.OfType<YamlScalarNode>().Select(c => c.Value))}");
                if (service.Get("network_mode") is YamlScalarNode { Value: "host" } mode)
                    yield return LintRules.HostNetwork.At(file.Path, mode, $"{at} has network_mode: host");
                foreach (var network in RecipeTree.Names(service.Get("networks")).Where(n => hostNetworks.Contains(n.Value ?? "")))
                    yield return LintRules.HostNetwork.At(file.Path, network, $"{at} joins '{network.Value}', which is the host's network");
            }
        }
    }

    /// <summary>Top-level networks (of this file and, for an overlay, of compose.yml) that are the external network 'host'.</summary>
    private static HashSet<string> HostNetworks(RecipeTree tree, ComposeFile file)
    {
        var declared = RecipeTree.TopLevel(file, "networks");
        if (tree.Main is { } main && main != file) declared = declared.Concat(RecipeTree.TopLevel(main, "networks"));
        return declared.Where(n => NetworkName(tree, n.Key, n.Value) == "host").Select(n => n.Key.Value ?? "").ToHashSet();
    }

    private static string? NetworkName(RecipeTree tree, YamlScalarNode key, YamlNode value)
    {
        if (value is not YamlMappingNode map) return null;
        YamlNode? Child(YamlMappingNode m, string k) => m.Children.TryGetValue(new YamlScalarNode(k), out var v) ? v : null;
        if (Child(map, "name") is YamlScalarNode { Value: { } name }) return tree.Expand(name);
        return Child(map, "external") switch
        {
            YamlMappingNode ext when Child(ext, "name") is YamlScalarNode { Value: { } old } => tree.Expand(old),   // external: {name: host}
            YamlScalarNode { Value: "true" } => key.Value,
            _ => null,
        };
    }
}
