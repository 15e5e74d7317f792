using System.Text.RegularExpressions;
using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// What lint reads of a recipe at the tested commit, as a deploy would read it: the values a deploy
/// interpolates with (<c>abra.sh</c> exports, then <c>.env.sample</c>, then the catalogue's
/// <c>env:</c>), the project that <c>.env.sample</c>'s <c>COMPOSE_FILE</c> deploys (overlays in
/// subfolders too), and each alternative the sample offers without enabling it (a commented
/// <c>COMPOSE_FILE</c> line, or another <c>compose.*.yml</c> beside the default set) as a project of
/// its own, never merged into one another. Per-file rules read <see cref="ComposeFiles"/>;
/// cross-file rules read <see cref="Projects"/>.
/// </summary>
public sealed partial class RecipeTree
{
    public const string MainFile = AppEnv.DefaultComposeFile;

    /// <summary>Every compose file any project reads, each once, compose.yml first.</summary>
    public IReadOnlyList<ComposeFile> ComposeFiles { get; }
    /// <summary>Compose files that did not parse, and <c>COMPOSE_FILE</c> entries the tree lacks, as findings.</summary>
    public IReadOnlyList<LintFinding> Unreadable { get; }
    /// <summary>The values a deploy of a fresh app interpolates with (no <c>STACK_NAME</c>).</summary>
    public IReadOnlyDictionary<string, string> SampleEnv { get; }
    public IReadOnlyList<string> ReleaseTags { get; }
    /// <summary>The default project first, then the alternatives.</summary>
    public IReadOnlyList<RecipeProject> Projects { get; }
    /// <summary>The tree on disk (to follow its symlinks); null when lint reads texts alone.</summary>
    public string? Root { get; private set; }

    private RecipeTree(IReadOnlyList<ComposeFile> files, IReadOnlyList<LintFinding> unreadable,
        IReadOnlyDictionary<string, string> sampleEnv, IReadOnlyList<string> releaseTags, IReadOnlyList<RecipeProject> projects) =>
        (ComposeFiles, Unreadable, SampleEnv, ReleaseTags, Projects) = (files, unreadable, sampleEnv, releaseTags, projects);

    public ComposeFile? Main => ComposeFiles.FirstOrDefault(f => f.Path == MainFile);

    public IEnumerable<(ComposeFile File, ComposeService Service)> Services =>
        ComposeFiles.SelectMany(f => f.Services.Select(s => (f, s)));

    /// <param name="env">The catalogue's <c>env:</c> for the recipe, over the sample's values.</param>
    public static RecipeTree Load(string root, IReadOnlyList<string> releaseTags, IReadOnlyDictionary<string, string>? env = null)
    {
        string? Read(string name) => File.Exists(Path.Combine(root, name)) ? File.ReadAllText(Path.Combine(root, name)) : null;
        var texts = new Dictionary<string, string>();
        foreach (var name in Directory.EnumerateFiles(root).Select(Path.GetFileName).OfType<string>()
                     .Where(n => n is AppEnv.SampleFile or AppEnv.AbraScript || ComposeName().IsMatch(n)))
            texts[name] = File.ReadAllText(Path.Combine(root, name));
        // Overlays in subfolders are found through the COMPOSE_FILE lines that name them.
        foreach (var name in ComposeFileLists(texts, env).SelectMany(l => l).Distinct().Where(n => !texts.ContainsKey(n)))
            if (Read(name) is { } text) texts[name] = text;
        var tree = FromTexts(texts, releaseTags, env);
        tree.Root = root;
        return tree;
    }

    /// <param name="files">path in the tree → content: compose files, and optionally <c>.env.sample</c> and <c>abra.sh</c>.</param>
    public static RecipeTree FromTexts(IReadOnlyDictionary<string, string> files, IReadOnlyList<string> releaseTags,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var parsed = new Dictionary<string, ComposeFile>();
        var unreadable = new List<LintFinding>();
        foreach (var (name, text) in files.Where(f => f.Key is not (AppEnv.SampleFile or AppEnv.AbraScript)))
        {
            try
            {
                parsed[name] = ComposeFile.Parse(text, name);
            }
            catch (ConfigException ex)
            {
                // YamlReader's messages start with "<file>:<line>: ".
                var line = LinePrefix().Match(ex.Message) is { Success: true } m ? int.Parse(m.Groups[1].Value) : (int?)null;
                unreadable.Add(LintRules.ComposeInvalid.At(name, null, ex.Message) with { Line = line });
            }
        }
        var values = Values(files, env);
        var projects = new List<RecipeProject>();
        foreach (var list in ComposeFileLists(files, env))
        {
            foreach (var absent in list.Where(n => !files.ContainsKey(n) && n != MainFile))
                unreadable.Add(LintRules.ComposeInvalid.At(absent, null,
                    $"COMPOSE_FILE in {AppEnv.SampleFile} names {absent}, which the recipe does not have"));
            var present = list.Where(parsed.ContainsKey).Select(n => parsed[n]).ToList();
            if (present.Count > 0) projects.Add(new RecipeProject(present, values));
        }
        var ordered = parsed.Values.OrderBy(f => f.Path == MainFile ? "" : f.Path, StringComparer.Ordinal).ToList();
        return new RecipeTree(ordered, unreadable.DistinctBy(f => (f.File, f.Message)).ToList(), values, releaseTags, projects);
    }

    /// <summary>abra.sh exports, then the sample's values, then the catalogue's env: what a fresh app's deploy sees.</summary>
    private static Dictionary<string, string> Values(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string>? env)
    {
        var values = files.TryGetValue(AppEnv.AbraScript, out var script) ? EnvFile.FromText(AppEnv.AbraScript, script).Values() : [];
        if (files.TryGetValue(AppEnv.SampleFile, out var sample))
            foreach (var (k, v) in EnvFile.FromText(AppEnv.SampleFile, sample).Values()) values[k] = v;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) values[k] = v;
        return values;
    }

    /// <summary>
    /// The compose-file lists a deploy may use: the sample's <c>COMPOSE_FILE</c> (default
    /// <c>compose.yml</c>), each commented <c>COMPOSE_FILE=</c> line of the sample (read as if it were
    /// uncommented where it stands, so <c>$COMPOSE_FILE:...</c> extends the default), and the default
    /// plus each other top-level <c>compose.*.yml</c> no list names.
    /// </summary>
    private static List<IReadOnlyList<string>> ComposeFileLists(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string>? env)
    {
        var sample = files.GetValueOrDefault(AppEnv.SampleFile) ?? "";
        var lines = sample.Replace("\r", "").Split('\n');
        var lists = new List<IReadOnlyList<string>> { AppEnv.ComposeFileNames(Values(files, env)) };
        for (var i = 0; i < lines.Length; i++)
            if (CommentedComposeFile().Match(lines[i]) is { Success: true } m)
            {
                var upTo = string.Join("\n", lines.Take(i).Append(m.Groups["assignment"].Value));
                lists.Add(AppEnv.ComposeFileNames(EnvFile.FromText(AppEnv.SampleFile, upTo).Values()));
            }
        var named = lists.SelectMany(l => l).ToHashSet();
        foreach (var other in files.Keys.Where(n => ComposeName().IsMatch(n) && !named.Contains(n)).Order(StringComparer.Ordinal))
            lists.Add([.. lists[0], other]);
        return lists.DistinctBy(l => string.Join(':', l)).ToList();
    }

    [GeneratedRegex(@"^\s*#+\s*(?<assignment>(?:export\s+)?COMPOSE_FILE=.*)$")]
    private static partial Regex CommentedComposeFile();

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
