using RecipeCi.Naming;
using RecipeCi.Swarm;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>
/// A service as a deploy sees it: its definitions in the compose files <c>COMPOSE_FILE</c> lists,
/// merged in that order. The merged mapping reuses the files' own nodes, so every value still
/// points at the file and line it came from (<see cref="RecipeProject.FileOf"/>).
/// </summary>
public sealed class ProjectService(string name, YamlMappingNode merged, IReadOnlyList<(ComposeFile File, ComposeService Definition)> definitions)
{
    public string Name { get; } = name;
    public YamlMappingNode Merged { get; } = merged;
    public IReadOnlyList<(ComposeFile File, ComposeService Definition)> Definitions { get; } = definitions;

    /// <summary>The merged service, read like one definition.</summary>
    public ComposeService View => new(Name, Merged);
}

/// <summary>
/// The project a deploy makes of a recipe: the compose files <c>COMPOSE_FILE</c> names (in
/// subfolders too), read with the values a deploy interpolates with (the app's env over the
/// recipe's <c>abra.sh</c> exports, and <c>STACK_NAME</c>), and their services merged as the docker
/// CLI merges <c>-c a.yml -c b.yml</c>: mappings key by key, later files winning; labels and
/// environment as key=value maps; secrets, configs, volumes and ports by entry. Anchors, aliases
/// and merge keys are resolved when a file is parsed (<see cref="YamlReader"/>).
/// </summary>
public sealed class RecipeProject
{
    private static readonly HashSet<string> KeyValueLists = ["labels", "environment"];
    private static readonly HashSet<string> EntryLists = ["secrets", "configs", "volumes", "ports"];

    private readonly Dictionary<YamlNode, ComposeFile> _origin = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<ComposeFile> Files { get; }
    public IReadOnlyDictionary<string, string> Values { get; }
    public IReadOnlyList<ProjectService> Services { get; }

    public RecipeProject(IReadOnlyList<ComposeFile> files, IReadOnlyDictionary<string, string> values)
    {
        Files = files;
        Values = values;
        foreach (var file in files)
            foreach (var node in file.Root.AllNodes)
                _origin.TryAdd(node, file);
        Services = files.SelectMany(f => f.Services.Select(s => (File: f, Definition: s)))
            .GroupBy(d => d.Definition.Name)
            .Select(g => new ProjectService(g.Key, g.Select(d => d.Definition.Node).Aggregate(Merge), [.. g]))
            .ToList();
    }

    /// <summary>
    /// The project of <paramref name="composeFiles"/> (relative to <paramref name="recipePath"/>).
    /// A name that is not in the tree is an error that names it, as the deploy would fail on it.
    /// </summary>
    public static RecipeProject Load(string recipePath, IReadOnlyList<string> composeFiles, IReadOnlyDictionary<string, string> values)
    {
        var missing = composeFiles.Where(f => !File.Exists(Path.Combine(recipePath, f))).ToList();
        if (missing.Count > 0)
            throw new ConfigException($"COMPOSE_FILE names {string.Join(", ", missing)}, which the recipe does not have at this checkout");
        return new RecipeProject(composeFiles.Select(f => ComposeFile.Parse(File.ReadAllText(Path.Combine(recipePath, f)), f)).ToList(), values);
    }

    public ProjectService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>The compose file a node of the project was written in (merged nodes: the file of their first value).</summary>
    public ComposeFile FileOf(YamlNode node) =>
        _origin.TryGetValue(node, out var file) ? file
        : node is YamlMappingNode { Children.Count: > 0 } map ? FileOf(map.Children.First().Value)
        : Files[0];

    /// <summary>A value as the deploy interpolates it.</summary>
    public string Expand(string text) => EnvFile.Interpolate(text, Values);

    /// <summary>A service's <c>deploy.labels</c> as swarm will show them (see <see cref="KeyValues"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels(ProjectService service) => KeyValues(service, "deploy", "labels");

    public string? Image(ProjectService service) => service.View.GetString("image") is { } image ? Expand(image) : null;

    /// <summary>A service's environment as the container gets it (see <see cref="KeyValues"/>).</summary>
    public IReadOnlyDictionary<string, string> Environment(ProjectService service) => KeyValues(service, "environment");

    /// <summary>
    /// A key=value setting (labels, environment) across the service's definitions, later files
    /// winning (see <see cref="Entries"/>).
    /// </summary>
    private Dictionary<string, string> KeyValues(ProjectService service, params string[] path)
    {
        var result = new Dictionary<string, string>();
        foreach (var (key, value, _, _) in Entries(service, path)) result[key] = value;
        return result;
    }

    /// <summary>Where each of a service's <c>deploy.labels</c> was written, as <c>file:line</c> (the file that wins).</summary>
    public IReadOnlyDictionary<string, string> LabelOrigins(ProjectService service)
    {
        var result = new Dictionary<string, string>();
        foreach (var (key, _, file, node) in Entries(service, "deploy", "labels")) result[key] = $"{file.Path}:{node.Start.Line}";
        return result;
    }

    /// <summary>
    /// The entries of a key=value setting in every definition, in file order, with the node each was
    /// written at. A list item is interpolated whole, key included, before it is split at '='; a
    /// mapping's keys stay literal (observed: <c>- "coop-cloud.${STACK_NAME}.version=..."</c> gets the
    /// stack's name, <c>coop-cloud.${STACK_NAME}.version: ...</c> does not).
    /// </summary>
    private IEnumerable<(string Key, string Value, ComposeFile File, YamlNode Node)> Entries(ProjectService service, params string[] path)
    {
        foreach (var (file, definition) in service.Definitions)
            switch (definition.Get(path))
            {
                case YamlSequenceNode seq:
                    foreach (var node in seq.Children.OfType<YamlScalarNode>())
                    {
                        var item = Expand(node.Value ?? "");
                        var eq = item.IndexOf('=');
                        yield return eq < 0 ? (item, "", file, node) : (item[..eq], item[(eq + 1)..], file, node);
                    }
                    break;
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children)
                        yield return (((YamlScalarNode)k).Value ?? "", Expand((v as YamlScalarNode)?.Value ?? ""), file, k);
                    break;
            }
    }

    /// <summary>The healthcheck's test as swarm stores it, each word interpolated.</summary>
    public IReadOnlyList<string> HealthcheckTest(ProjectService service) => service.View.Get("healthcheck", "test") switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => Expand(s.Value ?? "")).ToList(),
        YamlScalarNode { Value: { } shell } => ["CMD-SHELL", Expand(shell)],
        _ => [],
    };

    /// <summary>The swarm names a service's secrets or configs get: their top-level <c>name:</c>, else <c>&lt;stack&gt;_&lt;key&gt;</c>.</summary>
    public IReadOnlyList<string> SwarmNames(ProjectService service, string section) =>
        (service.View.Get(section) switch
        {
            YamlSequenceNode seq => seq.Children.Select(c => c is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("source"), out var s)
                ? (s as YamlScalarNode)?.Value : (c as YamlScalarNode)?.Value),
            _ => [],
        }).OfType<string>().Select(key => TopLevelName(section, key)).ToList();

    /// <summary>The name of a top-level secret, config, volume or network: its <c>name:</c> if set, else <c>&lt;stack&gt;_&lt;key&gt;</c>.</summary>
    public string TopLevelName(string section, string key)
    {
        var declared = Files.Select(f => f.Root.Children.TryGetValue(new YamlScalarNode(section), out var s) && s is YamlMappingNode map
                && map.Children.TryGetValue(new YamlScalarNode(key), out var d) && d is YamlMappingNode def
                && def.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? (n as YamlScalarNode)?.Value : null)
            .LastOrDefault(n => n is not null);
        return declared is not null ? Expand(declared) : new StackName(Values.GetValueOrDefault("STACK_NAME") ?? "").Of(key);
    }

    private static YamlMappingNode Merge(YamlMappingNode earlier, YamlMappingNode later)
    {
        var merged = new YamlMappingNode();
        foreach (var (k, v) in earlier.Children) merged.Children[k] = v;
        foreach (var (k, v) in later.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            merged.Children[k] = merged.Children.TryGetValue(k, out var before) ? MergeValue(key, before, v) : v;
        }
        return merged;
    }

    private static YamlNode MergeValue(string key, YamlNode earlier, YamlNode later) => (earlier, later) switch
    {
        _ when KeyValueLists.Contains(key) => Merge(AsMapping(earlier), AsMapping(later)),
        (YamlSequenceNode a, YamlSequenceNode b) when EntryLists.Contains(key) =>
            new YamlSequenceNode(a.Children.Concat(b.Children).DistinctBy(EntryKey)),
        (YamlMappingNode a, YamlMappingNode b) => Merge(a, b),
        _ => later,
    };

    /// <summary>A <c>k=v</c> list as a mapping (labels, environment), reusing the list's nodes for their lines.</summary>
    private static YamlMappingNode AsMapping(YamlNode node)
    {
        if (node is YamlMappingNode map) return map;
        var result = new YamlMappingNode();
        if (node is YamlSequenceNode seq)
            foreach (var item in seq.Children.OfType<YamlScalarNode>())
            {
                var text = item.Value ?? "";
                var eq = text.IndexOf('=');
                result.Children[new YamlScalarNode(eq < 0 ? text : text[..eq])] = new YamlScalarNode(eq < 0 ? "" : text[(eq + 1)..]);
            }
        return result;
    }

    /// <summary>What identifies a secret, config, volume or port entry when two files list it: its target, else its text.</summary>
    private static string EntryKey(YamlNode entry) => entry switch
    {
        YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("target"), out var t) => $"target:{t}",
        YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("source"), out var s) => $"source:{s}",
        _ => entry.ToString(),
    };
}
