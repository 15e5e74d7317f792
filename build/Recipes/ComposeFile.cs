using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>A service of a compose file, with its YAML node so findings can name a line.</summary>
public sealed class ComposeService(string name, YamlMappingNode node)
{
    public string Name { get; } = name;
    public YamlMappingNode Node { get; } = node;

    public YamlNode? Get(params string[] path)
    {
        YamlNode current = Node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            current = next;
        }
        return current;
    }

    public string? GetString(params string[] path) => (Get(path) as YamlScalarNode)?.Value;

    /// <summary><c>deploy.labels</c>, written either as a list of <c>k=v</c> or as a mapping.</summary>
    public IReadOnlyList<(string Key, string Value, YamlNode Node)> DeployLabels => LabelsAt("deploy", "labels");

    public IReadOnlyList<(string Key, string Value, YamlNode Node)> LabelsAt(params string[] path) => Get(path) switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s =>
        {
            var text = s.Value ?? "";
            var eq = text.IndexOf('=');
            return eq < 0 ? (text, "", (YamlNode)s) : (text[..eq], text[(eq + 1)..], (YamlNode)s);
        }).ToList(),
        YamlMappingNode map => map.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", (kv.Value as YamlScalarNode)?.Value ?? "", kv.Key)).ToList(),
        _ => [],
    };
}

/// <summary>A recipe compose file (<c>compose.yml</c> or an overlay), parsed with line information.</summary>
public sealed partial class ComposeFile
{
    public string Path { get; }
    public YamlMappingNode Root { get; }
    public IReadOnlyList<ComposeService> Services { get; }

    private ComposeFile(string path, YamlMappingNode root, IReadOnlyList<ComposeService> services) =>
        (Path, Root, Services) = (path, root, services);

    public static ComposeFile Load(string path) => Parse(File.ReadAllText(path), path);

    public static ComposeFile Parse(string text, string path)
    {
        var y = new YamlReader(path);
        var root = y.Load(text);
        var services = new List<ComposeService>();
        if (root.Children.TryGetValue(new YamlScalarNode("services"), out var node))
        {
            if (node is not YamlMappingNode map)
                throw y.Error(node, "services", "expected a mapping of service names", "write each service as 'name:' under 'services:'");
            foreach (var (k, v) in map.Children)
            {
                var name = ((YamlScalarNode)k).Value ?? "";
                if (v is not YamlMappingNode svc)
                    throw y.Error(v, $"services.{name}", "expected a mapping", "give the service an image and its settings");
                services.Add(new ComposeService(name, svc));
            }
        }
        return new ComposeFile(path, root, services);
    }

    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    [GeneratedRegex(@"^coop-cloud\.\$\{?STACK_NAME\}?\.(?<name>[a-z-]+)$")]
    private static partial Regex CoopLabel();

    /// <summary>A <c>coop-cloud.${STACK_NAME}.&lt;name&gt;</c> label of a service, as the maintainer wrote it.</summary>
    public static string? CoopCloudLabel(ComposeService service, string name) =>
        service.DeployLabels.Where(l => CoopLabel().Match(l.Key) is { Success: true } m && m.Groups["name"].Value == name)
            .Select(l => l.Value).FirstOrDefault();

    /// <summary>The release version the recipe declares on its <c>app</c> service.</summary>
    public string? VersionLabel => Service("app") is { } app ? CoopCloudLabel(app, "version") : null;

    /// <summary>The convergence budget the recipe asks abra for, in seconds (may use ${TIMEOUT:-300}).</summary>
    public int? TimeoutLabel(IReadOnlyDictionary<string, string> env)
    {
        var raw = Services.Select(s => CoopCloudLabel(s, "timeout")).FirstOrDefault(v => v is not null);
        if (raw is null) return null;
        var expanded = EnvFile.Interpolate(raw, env);
        return int.TryParse(expanded, out var seconds) && seconds > 0 ? seconds : null;
    }
}
