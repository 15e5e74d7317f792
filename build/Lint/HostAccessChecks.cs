using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// L009–L022, the trust boundary: a PR recipe is untrusted code that the CI deploys on its own host
/// with root's docker. Anything that hands a container the docker daemon, the host's files, devices,
/// namespaces or kernel settings, or makes <c>docker stack deploy</c> read a host file, lets a PR
/// take the host over or read its secrets. Lint reports these over the tree; VetBase and VetHead
/// refuse a deploy on them (<see cref="TrustBoundary"/>).
/// </summary>
public static class HostAccessChecks
{
    private static readonly HashSet<string> SocketPaths = ["/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run"];
    private static readonly HashSet<string> HostControlPaths = ["/", "/etc", "/root", "/boot", "/dev", "/var/lib/docker"];
    private static readonly HashSet<string> HostNamespaceKeys = ["pid", "ipc", "uts", "userns_mode"];

    /// <summary>The stack name lint judges external names against: a tree has no app yet, so its <c>${STACK_NAME}</c> stands for any.</summary>
    private const string AnyStack = "recipe_ci_lint_stack";

    public static IEnumerable<LintFinding> Check(RecipeTree tree) =>
        Check(tree.ComposeFiles, text => tree.Expand(text, AnyStack), tree.Root, AnyStack);

    /// <param name="files">The compose files a deploy reads (lint: every file of the tree).</param>
    /// <param name="expand">Interpolates a value as the deploy does.</param>
    /// <param name="root">The recipe tree on disk, to follow symlinks; null for texts alone.</param>
    /// <param name="stack">The app's stack name: its external objects must be its own.</param>
    public static IEnumerable<LintFinding> Check(IReadOnlyList<ComposeFile> files, Func<string, string> expand, string? root, string stack)
    {
        var hostNetworks = files.SelectMany(f => RecipeTree.TopLevel(f, "networks"))
            .Where(n => NetworkName(expand, n.Key, n.Value) == "host").Select(n => n.Key.Value ?? "").ToHashSet();
        foreach (var name in files.Select(f => f.Path).Append(AppEnv.SampleFile).Append(AppEnv.AbraScript).Distinct())
            if (root is not null && File.Exists(Path.Combine(root, name)) && TreePath.Leaves(name, root) is { } why)
                yield return LintRules.FileOutsideTree.At(name, null, $"{name} is {why}: abra and the deploy read it");
        foreach (var file in files)
        {
            foreach (var service in file.Services)
                foreach (var finding in CheckService(file, service, expand, root, hostNetworks))
                    yield return finding;
            foreach (var finding in CheckTopLevel(file, expand, root))
                yield return finding;
            foreach (var finding in CheckExternal(file, expand, stack))
                yield return finding;
        }
    }

    private static IEnumerable<LintFinding> CheckService(ComposeFile file, ComposeService service, Func<string, string> expand, string? root, HashSet<string> hostNetworks)
    {
        var at = $"services.{service.Name}";
        string? Scalar(string key) => service.Get(key) is YamlScalarNode { Value: { } v } ? expand(v) : null;
        foreach (var mount in ServiceMount.Of(service, expand).Where(m => m.IsBind))
        {
            if (SocketPaths.Contains(mount.HostPath) || mount.HostPath.StartsWith("/run/", StringComparison.Ordinal) || mount.HostPath.StartsWith("/var/run/", StringComparison.Ordinal))
                yield return LintRules.DockerSocket.At(file.Path, mount.Node, $"{at} mounts the host's {mount.Source} (the docker socket or its directory) at {mount.Target}");
            else if (HostControlPaths.Contains(mount.HostPath) || mount.HostPath.StartsWith("/var/lib/docker/", StringComparison.Ordinal))
                yield return LintRules.HostRootMount.At(file.Path, mount.Node, $"{at} mounts the host's {mount.Source} at {mount.Target}");
            else if (TreePath.Leaves(mount.Source, root) is { } why)
                yield return LintRules.HostBindMount.At(file.Path, mount.Node, $"{at} bind-mounts {mount.Source}, {why}, at {mount.Target}");
        }
        if (Scalar("privileged") is { } privileged && privileged.Equals("true", StringComparison.OrdinalIgnoreCase))
            yield return LintRules.Privileged.At(file.Path, service.Get("privileged"), $"{at} is privileged");
        if (service.Get("cap_add") is YamlSequenceNode { Children.Count: > 0 } caps)
            yield return LintRules.CapAdd.At(file.Path, caps, $"{at}.cap_add adds {string.Join(", ", Words(caps, expand))}");
        if (service.Get("devices") is YamlSequenceNode { Children.Count: > 0 } devices)
            yield return LintRules.Devices.At(file.Path, devices, $"{at}.devices maps {string.Join(", ", Words(devices, expand))}");
        if (Scalar("network_mode") == "host")
            yield return LintRules.HostNetwork.At(file.Path, service.Get("network_mode"), $"{at} has network_mode: host");
        foreach (var network in RecipeTree.Names(service.Get("networks")).Where(n => hostNetworks.Contains(n.Value ?? "")))
            yield return LintRules.HostNetwork.At(file.Path, network, $"{at} joins '{network.Value}', which is the host's network");
        foreach (var key in HostNamespaceKeys.Where(k => Scalar(k) == "host"))
            yield return LintRules.HostNamespace.At(file.Path, service.Get(key), $"{at} has {key}: host");
        foreach (var opt in Items(service.Get("security_opt")).Where(o => !expand(o.Value ?? "").StartsWith("no-new-privileges", StringComparison.Ordinal)))
            yield return LintRules.SecurityOpt.At(file.Path, opt, $"{at}.security_opt has {expand(opt.Value ?? "")}");
        if (Scalar("cgroup_parent") is { Length: > 0 } cgroup)
            yield return LintRules.CgroupParent.At(file.Path, service.Get("cgroup_parent"), $"{at} has cgroup_parent: {cgroup}");
        foreach (var (name, node) in KeyValues(service.Get("sysctls"), expand).Where(s => !s.Name.StartsWith("net.", StringComparison.Ordinal)))
            yield return LintRules.HostSysctl.At(file.Path, node, $"{at}.sysctls sets {name}");
        foreach (var envFile in Items(service.Get("env_file")))
            if (TreePath.Leaves(expand(envFile.Value ?? ""), root) is { } why)
                yield return LintRules.FileOutsideTree.At(file.Path, envFile, $"{at}.env_file is {expand(envFile.Value ?? "")}, {why}: docker stack deploy reads it on the CI host");
    }

    /// <summary>Top-level secrets and configs read from a file, and named volumes that bind a host path.</summary>
    private static IEnumerable<LintFinding> CheckTopLevel(ComposeFile file, Func<string, string> expand, string? root)
    {
        foreach (var section in new[] { "secrets", "configs" })
            foreach (var (key, value) in RecipeTree.TopLevel(file, section))
                if (Child(value, "file") is YamlScalarNode { Value: { } path } node && TreePath.Leaves(expand(path), root) is { } why)
                    yield return LintRules.FileOutsideTree.At(file.Path, node,
                        $"{section}.{key.Value}.file is {expand(path)}, {why}: docker stack deploy would read it on the CI host into the swarm");
        foreach (var (key, value) in RecipeTree.TopLevel(file, "volumes"))
        {
            if (Child(value, "driver_opts") is not YamlMappingNode opts) continue;
            string Opt(string k) => Child(opts, k) is YamlScalarNode { Value: { } v } ? expand(v) : "";
            var binds = Opt("o").Split(',').Contains("bind") || Opt("type") == "none" || Opt("device").StartsWith('/');
            if (binds && Opt("device").Length > 0)
                yield return LintRules.HostVolumeBind.At(file.Path, opts, $"volumes.{key.Value} binds the host's {Opt("device")} (driver_opts)");
        }
    }

    /// <summary>
    /// External objects are swarm's, found by name, not made by this deploy: one named under another
    /// stack is another app's secret, config or data. The shared <c>proxy</c> network is the one an
    /// abra server's traefik provides; the host's network is <see cref="LintRules.HostNetwork"/>'s.
    /// </summary>
    private static IEnumerable<LintFinding> CheckExternal(ComposeFile file, Func<string, string> expand, string stack)
    {
        foreach (var section in new[] { "secrets", "configs", "volumes", "networks" })
            foreach (var (key, value) in RecipeTree.TopLevel(file, section))
            {
                if (Child(value, "external") is not { } external || external is YamlScalarNode { Value: not "true" }) continue;
                var name = NetworkName(expand, key, value) ?? key.Value ?? "";
                var own = section == "networks" ? name is "proxy" or "host" : name.StartsWith(stack + "_", StringComparison.Ordinal);
                if (!own)
                    yield return LintRules.ExternalObject.At(file.Path, external,
                        $"{section}.{key.Value} is external and named {name}: " + (section == "networks" ? "not the proxy network" : $"not under the app's stack {stack}"));
            }
    }

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    /// <summary>A scalar or a list of scalars (env_file, security_opt).</summary>
    private static IEnumerable<YamlScalarNode> Items(YamlNode? node) => node switch
    {
        YamlScalarNode s => [s],
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>(),
        _ => [],
    };

    private static IEnumerable<string> Words(YamlSequenceNode list, Func<string, string> expand) =>
        list.Children.OfType<YamlScalarNode>().Select(c => expand(c.Value ?? ""));

    /// <summary>A key=value list or a mapping (sysctls), each with its node.</summary>
    private static IEnumerable<(string Name, YamlNode Node)> KeyValues(YamlNode? node, Func<string, string> expand) => node switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => (expand(s.Value ?? "").Split('=', 2)[0], (YamlNode)s)),
        YamlMappingNode map => map.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Key)),
        _ => [],
    };

    /// <summary>The swarm name of a top-level object: its <c>name:</c>, the old <c>external: {name:}</c>, or for an external one its key.</summary>
    private static string? NetworkName(Func<string, string> expand, YamlScalarNode key, YamlNode value)
    {
        if (value is not YamlMappingNode map) return null;
        if (Child(map, "name") is YamlScalarNode { Value: { } name }) return expand(name);
        return Child(map, "external") switch
        {
            YamlMappingNode ext when Child(ext, "name") is YamlScalarNode { Value: { } old } => expand(old),   // external: {name: host}
            YamlScalarNode { Value: "true" } => key.Value,
            _ => null,
        };
    }
}
