namespace RecipeCi.Recipes;

/// <summary>How the harness decides the app is really serving.</summary>
public sealed record HealthCheck(string Service, string Path, int Port, IReadOnlyList<int> Statuses)
{
    public static readonly HealthCheck Default = new("app", "/", 80, [200, 301, 302]);
}

public sealed record Timeouts(int Deploy, int Health)
{
    public static readonly Timeouts Default = new(300, 120);
}

/// <summary>One enrolled recipe, as <c>recipes.yaml</c> declares it.</summary>
public sealed record RecipeEntry(
    string Name,
    string Repository,
    string? Mirror,
    HealthCheck Health,
    Timeouts Timeouts,
    string? Base,
    IReadOnlyDictionary<string, string> Env);

/// <summary>The recipe catalogue: <c>recipes.yaml</c>, validated when loaded.</summary>
public sealed class Catalog
{
    private static readonly string[] TopKeys = ["defaults", "recipes"];
    private static readonly string[] DefaultKeys = ["health", "timeouts", "env"];
    private static readonly string[] RecipeKeys = ["repository", "mirror", "health", "timeouts", "base", "env"];
    private static readonly string[] HealthKeys = ["service", "path", "port", "status"];
    private static readonly string[] TimeoutKeys = ["deploy", "health"];

    public string File { get; }
    public IReadOnlyList<RecipeEntry> Recipes { get; }

    private Catalog(string file, IReadOnlyList<RecipeEntry> recipes) => (File, Recipes) = (file, recipes);

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

        if (!top.TryGetValue("recipes", out var recipesNode) || YamlReader.IsNull(recipesNode))
            throw y.Error(root, "recipes", "missing or empty", "enrol at least one recipe under 'recipes:'");
        var recipes = new List<RecipeEntry>();
        foreach (var (name, node) in y.Entries(recipesNode, "recipes", null))
        {
            var path = $"recipes.{name}";
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9-]*$"))
                throw y.Error(node, path, "recipe names are lower-case letters, digits and dashes", "rename the key");
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
                env));
        }
        return new Catalog(file, recipes);
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

    private static Timeouts ReadTimeouts(YamlReader y, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> map, string path, Timeouts fallback)
    {
        if (!map.TryGetValue("timeouts", out var node)) return fallback;
        var t = y.Entries(node, $"{path}.timeouts", TimeoutKeys);
        return new Timeouts(
            y.OptionalInt(t, "deploy", $"{path}.timeouts", 1, 86400) ?? fallback.Deploy,
            y.OptionalInt(t, "health", $"{path}.timeouts", 1, 86400) ?? fallback.Health);
    }
}
