using System.Text.RegularExpressions;
using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// What lint reads of a recipe at the tested commit: its compose files (<c>compose.yml</c> and
/// its <c>compose.*.yml</c> overlays, named relative to the tree), the <c>.env.sample</c> values
/// that interpolation falls back on, and the release tags on that commit.
/// </summary>
public sealed partial class RecipeTree
{
    public const string MainFile = "compose.yml";

    public IReadOnlyList<ComposeFile> ComposeFiles { get; }
    /// <summary>Compose files that did not parse, as findings.</summary>
    public IReadOnlyList<LintFinding> Unreadable { get; }
    public IReadOnlyDictionary<string, string> SampleEnv { get; }
    public IReadOnlyList<string> ReleaseTags { get; }

    private RecipeTree(IReadOnlyList<ComposeFile> files, IReadOnlyList<LintFinding> unreadable,
        IReadOnlyDictionary<string, string> sampleEnv, IReadOnlyList<string> releaseTags) =>
        (ComposeFiles, Unreadable, SampleEnv, ReleaseTags) = (files, unreadable, sampleEnv, releaseTags);

    public ComposeFile? Main => ComposeFiles.FirstOrDefault(f => f.Path == MainFile);

    public IEnumerable<(ComposeFile File, ComposeService Service)> Services =>
        ComposeFiles.SelectMany(f => f.Services.Select(s => (f, s)));

    public static RecipeTree Load(string root, IReadOnlyList<string> releaseTags)
    {
        var texts = Directory.EnumerateFiles(root)
            .Select(Path.GetFileName)
            .Where(n => n is not null && (n == ".env.sample" || ComposeName().IsMatch(n)))
            .ToDictionary(n => n!, n => File.ReadAllText(Path.Combine(root, n!)));
        return FromTexts(texts, releaseTags);
    }

    /// <param name="files">file name → content: compose files and optionally <c>.env.sample</c>.</param>
    public static RecipeTree FromTexts(IReadOnlyDictionary<string, string> files, IReadOnlyList<string> releaseTags)
    {
        var parsed = new List<ComposeFile>();
        var unreadable = new List<LintFinding>();
        foreach (var (name, text) in files.Where(f => ComposeName().IsMatch(f.Key)).OrderBy(f => f.Key == MainFile ? "" : f.Key, StringComparer.Ordinal))
        {
            try
            {
                parsed.Add(ComposeFile.Parse(text, name));
            }
            catch (ConfigException ex)
            {
                // YamlReader's messages start with "<file>:<line>: ".
                var line = LinePrefix().Match(ex.Message) is { Success: true } m ? int.Parse(m.Groups[1].Value) : (int?)null;
                unreadable.Add(LintRules.ComposeInvalid.At(name, null, ex.Message) with { Line = line });
            }
        }
        var sample = files.TryGetValue(".env.sample", out var env) ? EnvFile.FromText(".env.sample", env).Values() : [];
        return new RecipeTree(parsed, unreadable, sample, releaseTags);
    }

    [GeneratedRegex(@"^compose(\.[A-Za-z0-9_-]+)*\.ya?ml$")]
    private static partial Regex ComposeName();

    [GeneratedRegex(@"^[^:]+:(\d+):")]
    private static partial Regex LinePrefix();

    /// <summary>Expands <c>${VAR:-default}</c> as a deploy with the sample env would, optionally with a stack name.</summary>
    public string Expand(string text, string? stack = null)
    {
        if (stack is null) return EnvFile.Interpolate(text, SampleEnv);
        var values = new Dictionary<string, string>(SampleEnv) { ["STACK_NAME"] = stack };
        return EnvFile.Interpolate(text, values);
    }

    /// <summary>The node of a service's name under <c>services:</c>, to point a finding at the service itself.</summary>
    public static YamlNode NameNode(ComposeFile file, ComposeService service) =>
        ((YamlMappingNode)file.Root.Children[new YamlScalarNode("services")]).Children.Keys
            .First(k => ((YamlScalarNode)k).Value == service.Name);

    /// <summary>A top-level mapping of the file (volumes, networks, secrets, configs), empty when absent.</summary>
    public static IEnumerable<(YamlScalarNode Key, YamlNode Value)> TopLevel(ComposeFile file, string section) =>
        file.Root.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlMappingNode map
            ? map.Children.Select(kv => ((YamlScalarNode)kv.Key, kv.Value))
            : [];

    /// <summary>The names of a list-or-mapping key (<c>depends_on</c>, <c>networks</c>): list items, or mapping keys.</summary>
    public static IEnumerable<YamlScalarNode> Names(YamlNode? node) => node switch
    {
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>(),
        YamlMappingNode map => map.Children.Keys.OfType<YamlScalarNode>(),
        _ => [],
    };
}
