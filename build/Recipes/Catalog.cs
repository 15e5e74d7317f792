using RecipeCi.Verdicts;

namespace RecipeCi.Recipes;

/// <summary>The recipe catalogue: <c>recipes.yaml</c>, validated when loaded.</summary>
public sealed partial class Catalog
{
    /// <summary>What a recipe's name may hold, as recipes.yaml's keys and folder names take it.</summary>
    public const string RecipeNameRule = "recipe names are lower-case letters, digits and dashes";

    public static bool IsRecipeName(string name) => RecipeName().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial System.Text.RegularExpressions.Regex RecipeName();

    private static readonly string[] TopKeys = ["defaults", "recipes"];
    private static readonly string[] DefaultKeys = ["health", "timeouts", "env", "routing"];
    private static readonly string[] RecipeKeys = ["repository", "mirror", "health", "timeouts", "base", "env", "probes", "backup", "needs", "not_applicable", "upgrade_env", "allow", "forge", "routing", "depends"];
    private static readonly string[] DependKeys = ["provision", "scope"];
    // Only rungs that can lack what they need (backup labels, custom checks) may be declared not applicable.
    private static readonly Rung[] Declarable = [Rung.BackupRestore, Rung.Custom];
    private static readonly string[] BackupKeys = ["service", "seed", "remove", "check", "verify", "attempts"];
    private static readonly string[] HealthKeys = ["service", "path", "port", "status"];
    private static readonly string[] TimeoutKeys = ["deploy", "health"];
    private static readonly string[] RoutingKeys = ["entrypoint", "cert_resolver", "none"];
    private static readonly string[] NeedsKeys = ["memory_mb", "disk_mb"];

    public string File { get; }
    public IReadOnlyList<RecipeEntry> Recipes { get; }

    private Catalog(string file, IReadOnlyList<RecipeEntry> recipes) => (File, Recipes) = (file, recipes);

    /// <summary>Resolves a catalogue path relative to the catalogue's folder; URLs pass through.</summary>
    public static string ResolveSource(string catalogDirectory, string source) =>
        IsRemote(source) ? source : System.IO.Path.GetFullPath(System.IO.Path.Combine(catalogDirectory, source));

    /// <summary>Whether a repository source is a URL (or scp-like <c>git@host:path</c>) rather than a path on this machine.</summary>
    public static bool IsRemote(string source) => source.Contains("://") || source.StartsWith("git@", StringComparison.Ordinal);

    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(File))!;

    public RecipeEntry Get(string name) =>
        Recipes.FirstOrDefault(r => r.Name == name)
        ?? throw new ConfigException($"unknown recipe '{name}': {File} enrols {(Recipes.Count == 0 ? "no recipes" : string.Join(", ", Recipes.Select(r => r.Name)))}. Fix: pick one of those, or add it under 'recipes:' in {File}");

    public static Catalog Load(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new ConfigException($"{path}: catalogue not found. Fix: pass --catalog=<path to recipes.yaml>");
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    public static Catalog Parse(string text, string file)
    {
        var y = new YamlReader(file);
        var root = y.Load(text);
        var top = y.Entries(root, "", TopKeys);

        var defaults = top.TryGetValue("defaults", out var d) ? y.Entries(d, "defaults", DefaultKeys) : [];
        var defaultHealth = ReadHealth(y, defaults, "defaults", HealthCheck.Default);
        var defaultTimeouts = ReadTimeouts(y, defaults, "defaults", Timeouts.Default);
        var defaultEnv = y.OptionalStringMap(defaults, "env", "defaults");
        var defaultRouting = ReadRouting(y, defaults, "defaults", RoutingSetting.Abra);
        if (defaultRouting.None is not null)
            throw y.Error(defaults["routing"], "defaults.routing.none", "is for one recipe, not every one", "declare routing: {none: why} under the recipe whose routing is not probed");

        if (!top.TryGetValue("recipes", out var recipesNode) || YamlReader.IsNull(recipesNode))
            throw y.Error(root, "recipes", "missing or empty", "enrol at least one recipe under 'recipes:'");
        var recipes = new List<RecipeEntry>();
        foreach (var (name, node) in y.Entries(recipesNode, "recipes", null))
        {
            var path = $"recipes.{name}";
            if (!IsRecipeName(name))
                throw y.Error(node, path, RecipeNameRule, "rename the key");
            var map = y.Entries(node, path, RecipeKeys);
            var env = new Dictionary<string, string>(defaultEnv);
            foreach (var (k, v) in y.OptionalStringMap(map, "env", path)) env[k] = v;
            var baseVersion = y.OptionalString(map, "base", path);
            if (baseVersion is not null && !RecipeVersion.TryParse(baseVersion, out _))
                throw y.Error(map["base"], $"{path}.base", $"'{baseVersion}' is not a recipe version", "write a release tag such as 1.2.0+3.4.5");
            recipes.Add(new RecipeEntry(
                name,
                y.RequiredString(map, "repository", path, node, "give the recipe's git URL or a local path"),
                y.OptionalString(map, "mirror", path),
                ReadHealth(y, map, path, defaultHealth),
                ReadTimeouts(y, map, path, defaultTimeouts),
                baseVersion,
                env)
            {
                Probes = map.TryGetValue("probes", out var probes) ? CheckReader.Read(y, probes, $"{path}.probes", name) : [],
                Backup = map.TryGetValue("backup", out var backup) ? ReadBackup(y, backup, $"{path}.backup") : null,
                Needs = ReadNeeds(y, map, path),
                NotApplicable = ReadNotApplicable(y, map, path),
                UpgradeEnv = y.OptionalStringMap(map, "upgrade_env", path),
                Allow = ReadAllow(y, map, path),
                Forge = ReadForge(y, map, path),
                Routing = ReadRouting(y, map, path, defaultRouting),
                Depends = ReadDepends(y, map, path),
                KeyLines = map.ToDictionary(kv => kv.Key, kv => (int)kv.Value.Start.Line),
            });
            if (recipes[^1].Forge is { } forge && recipes.FirstOrDefault(r => r.Forge == forge && r.Name != name) is { } other)
                throw y.Error(map["forge"], $"{path}.forge", $"'{forge}' is also the forge repository of {other.Name}",
                    "give each recipe its own forge repository: a !testme there must name one recipe");
        }
        CheckDepends(recipes, file);
        return new Catalog(file, recipes);
    }

    /// <summary><c>depends: {other: {provision: hook, scope: run|sweep}}</c>; names are checked once every recipe is read.</summary>
    private static List<Dependency> ReadDepends(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path)
    {
        if (!map.TryGetValue("depends", out var node) || YamlReader.IsNull(node)) return [];
        var p = $"{path}.depends";
        var scopes = Enum.GetValues<DependencyScope>().Select(s => s.Word()).ToList();
        return y.Entries(node, p, null).Select(e =>
        {
            var d = y.Entries(e.Value, $"{p}.{e.Key}", DependKeys);
            var hook = y.RequiredString(d, "provision", $"{p}.{e.Key}", e.Value, "name the provision hook, an executable in tests/<this recipe>/, e.g. provision: provision-keycloak");
            if (hook.Contains('/') || hook.StartsWith('.'))
                throw y.Error(d["provision"], $"{p}.{e.Key}.provision", $"'{hook}' is not a file name", "name a file directly in tests/<this recipe>/");
            var word = y.OptionalString(d, "scope", $"{p}.{e.Key}") ?? DependencyScope.Run.Word();
            var scope = EnumWords.Parse<DependencyScope>(word)
                ?? throw y.Error(d["scope"], $"{p}.{e.Key}.scope", $"'{word}' is not a scope", $"write one of {string.Join(", ", scopes)}");
            return new Dependency(e.Key, hook, scope, $"{y.File}:{e.Value.Start.Line}");
        }).ToList();
    }

    /// <summary>Every dependency names an enrolled recipe, and no recipe needs itself through any chain of them.</summary>
    private static void CheckDepends(List<RecipeEntry> recipes, string file)
    {
        var byName = recipes.ToDictionary(r => r.Name);
        foreach (var recipe in recipes)
            foreach (var d in recipe.Depends.Where(d => !byName.ContainsKey(d.Recipe)))
                throw new ConfigException($"{d.Where}: recipes.{recipe.Name}.depends.{d.Recipe}: no recipe of that name is enrolled in {file}. " +
                    $"Fix: name one of {string.Join(", ", recipes.Select(r => r.Name))}, or enrol {d.Recipe} under 'recipes:'");
        foreach (var recipe in recipes)
            if (Cycle(recipe.Name, [recipe.Name]) is { } cycle)
                throw new ConfigException($"{recipe.Depends.First(d => d.Recipe == cycle[1]).Where}: recipes.{recipe.Name}.depends: a dependency cycle " +
                    $"{string.Join(" -> ", cycle)}. Fix: remove one of these depends: entries; an app cannot need what needs it");

        List<string>? Cycle(string start, List<string> chain)
        {
            foreach (var next in byName[chain[^1]].Depends.Select(d => d.Recipe))
            {
                if (next == start) return [.. chain, next];
                if (chain.Contains(next)) continue;
                if (Cycle(start, [.. chain, next]) is { } found) return found;
            }
            return null;
        }
    }

    private static BackupMarker ReadBackup(YamlReader y, YamlDotNet.RepresentationModel.YamlNode node, string path)
    {
        var b = y.Entries(node, path, BackupKeys);
        string Need(string key, string what) => y.RequiredString(b, key, path, node, what);
        var marker = new BackupMarker(
            Need("service", "name the service whose container holds the data, e.g. db"),
            Need("seed", "give a command that writes {marker}"),
            Need("remove", "give a command that deletes {marker}"),
            Need("check", "give a command that exits 0 only while {marker} is present"),
            y.OptionalString(b, "verify", path),
            y.OptionalInt(b, "attempts", path, 1, 10) ?? 3);
        foreach (var (key, command) in new[] { ("seed", marker.Seed), ("remove", marker.Remove), ("check", marker.Check) })
            if (!command.Contains("{marker}", StringComparison.Ordinal))
                throw y.Error(b[key], $"{path}.{key}", "does not mention {marker}", "use {marker} where the marker value goes");
        return marker;
    }

    private static Dictionary<Rung, string> ReadNotApplicable(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path)
    {
        if (!map.TryGetValue("not_applicable", out var node)) return [];
        var p = $"{path}.not_applicable";
        var declared = y.Entries(node, p, Declarable.Select(r => r.Word()).ToArray());
        return Declarable.Where(r => declared.ContainsKey(r.Word())).ToDictionary(r => r, r =>
            y.OptionalString(declared, r.Word(), p) is { Length: > 0 } why ? why
                : throw y.Error(declared[r.Word()], $"{p}.{r.Word()}", "has no reason", "say why the rung does not apply to this recipe"));
    }

    private static HealthCheck ReadHealth(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path, HealthCheck fallback)
    {
        if (!map.TryGetValue("health", out var node)) return fallback;
        var h = y.Entries(node, $"{path}.health", HealthKeys);
        var p = $"{path}.health";
        var healthPath = y.OptionalString(h, "path", p) ?? fallback.Path;
        if (!healthPath.StartsWith('/')) throw y.Error(h["path"], $"{p}.path", "must start with '/'", $"write '/{healthPath}'");
        return new HealthCheck(
            y.OptionalString(h, "service", p) ?? fallback.Service,
            healthPath,
            y.OptionalInt(h, "port", p, 1, 65535) ?? fallback.Port,
            y.OptionalIntList(h, "status", p) ?? fallback.Statuses);
    }

    /// <summary>
    /// The trust-boundary rules the operator allows for this recipe, by name. Only here: nothing in a
    /// recipe's own tree can allow anything, so a PR cannot lift the boundary it is tested behind.
    /// </summary>
    private static IReadOnlyList<string> ReadAllow(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path)
    {
        if (!map.TryGetValue("allow", out var node) || YamlReader.IsNull(node)) return [];
        var names = Enum.GetValues<BoundaryRule>().Select(r => r.Word()).ToList();
        var fix = $"name rules of the trust boundary: {string.Join(", ", names)}";
        if (node is not YamlDotNet.RepresentationModel.YamlSequenceNode seq) throw y.Error(node, $"{path}.allow", "expected a list of rule names", fix);
        return seq.Children.Select(c => c is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } v } && names.Contains(v)
            ? v : throw y.Error(c, $"{path}.allow", $"'{c}' is not a rule of the trust boundary", fix)).Distinct().ToList();
    }

    /// <summary>Where the recipe's pull requests live on the forge (<c>owner/name</c>); the bridge watches only these.</summary>
    private static ForgeRepository? ReadForge(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path)
    {
        var text = y.OptionalString(map, "forge", path);
        if (text is null) return null;
        return ForgeRepository.TryParse(text)
            ?? throw y.Error(map["forge"], $"{path}.forge", $"'{text}' is not a forge repository", "write owner/name as the forge shows it, e.g. forge: coop-cloud/hello (no URL, no .git)");
    }

    /// <summary><c>routing: {entrypoint, cert_resolver}</c> over the fallback, or <c>routing: {none: why}</c> alone.</summary>
    private static RoutingSetting ReadRouting(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path, RoutingSetting fallback)
    {
        if (!map.TryGetValue("routing", out var node)) return fallback;
        var p = $"{path}.routing";
        var r = y.Entries(node, p, RoutingKeys);
        if (!r.TryGetValue("none", out var noneNode))
            return new RoutingSetting(
                y.OptionalString(r, "entrypoint", p) is { Length: > 0 } ep ? ep : fallback.EntryPoint,
                y.OptionalString(r, "cert_resolver", p) ?? fallback.CertResolver);
        if (r.Count > 1)
            throw y.Error(node, p, "'none' says the routing is not probed, so it takes no entrypoint or cert_resolver", "keep either {none: why} or {entrypoint, cert_resolver}");
        return y.OptionalString(r, "none", p) is { Length: > 0 } why ? fallback with { None = why }
            : throw y.Error(noneNode, $"{p}.none", "has no reason", "say why the routing probe does not apply, e.g. routing: {none: \"no web frontend\"}");
    }

    private static ResourceNeeds? ReadNeeds(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path)
    {
        if (!map.TryGetValue("needs", out var node)) return null;
        var n = y.Entries(node, $"{path}.needs", NeedsKeys);
        return new ResourceNeeds(
            y.OptionalInt(n, "memory_mb", $"{path}.needs", 1, 16 * 1024 * 1024),
            y.OptionalInt(n, "disk_mb", $"{path}.needs", 1, int.MaxValue));
    }

    private static Timeouts ReadTimeouts(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path, Timeouts fallback)
    {
        if (!map.TryGetValue("timeouts", out var node)) return fallback;
        var t = y.Entries(node, $"{path}.timeouts", TimeoutKeys);
        return new Timeouts(
            y.OptionalInt(t, "deploy", $"{path}.timeouts", 1, 86400) ?? fallback.Deploy,
            y.OptionalInt(t, "health", $"{path}.timeouts", 1, 86400) ?? fallback.Health);
    }
}
