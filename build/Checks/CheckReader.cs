using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Checks;

/// <summary>
/// Reads check lists (<c>probes:</c> in recipes.yaml, <c>checks:</c> in tests/&lt;recipe&gt;/checks.yaml).
/// Each item has exactly one of <c>http</c>, <c>exec</c>, <c>tcp</c>, and an optional <c>name</c>.
/// </summary>
public static class CheckReader
{
    private static readonly string[] ItemKeys = ["name", "http", "exec", "tcp"];

    public static List<CheckSpec> Read(YamlReader y, YamlNode node, string path)
    {
        if (YamlReader.IsNull(node)) return [];
        if (node is not YamlSequenceNode seq)
            throw y.Error(node, path, "expected a list of checks", "write each check as '- http: {...}', '- exec: {...}' or '- tcp: {...}'");
        var checks = new List<CheckSpec>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var p = $"{path}[{i}]";
            var item = y.Entries(seq.Children[i], p, ItemKeys);
            var kinds = item.Keys.Where(k => k != "name").ToList();
            if (kinds.Count != 1)
                throw y.Error(seq.Children[i], p, $"has {(kinds.Count == 0 ? "no" : "more than one")} check kind", "give exactly one of http, exec, tcp");
            var kind = kinds[0];
            var body = y.Entries(item[kind], $"{p}.{kind}", kind switch
            {
                "http" => ["service", "port", "path", "status", "contains"],
                "exec" => ["service", "command", "exit", "contains"],
                _ => ["service", "port", "stable"],
            });
            var bp = $"{p}.{kind}";
            var service = y.RequiredString(body, "service", bp, item[kind], "name the compose service to ask, e.g. app");
            CheckSpec check = kind switch
            {
                "http" => new HttpCheck("", service, y.OptionalInt(body, "port", bp, 1, 65535) ?? 80,
                    y.OptionalString(body, "path", bp) ?? "/", y.OptionalIntList(body, "status", bp) ?? [200], y.OptionalString(body, "contains", bp)),
                "exec" => new ExecCheck("", service, y.RequiredString(body, "command", bp, item[kind], "give a shell command"),
                    y.OptionalInt(body, "exit", bp, 0, 255) ?? 0, y.OptionalString(body, "contains", bp)),
                _ => new TcpCheck("", service, y.OptionalInt(body, "port", bp, 1, 65535)
                    ?? throw y.Error(item[kind], $"{bp}.port", "missing", "give the port to connect to"), y.OptionalInt(body, "stable", bp, 1, 100) ?? 1),
            };
            var name = y.OptionalString(item, "name", p) ?? check.Describe();
            checks.Add(check with { Name = name });
        }
        return checks;
    }

    /// <summary>The install hook's file in tests/&lt;recipe&gt;/: it runs before the first deploy, never as a check.</summary>
    public const string InstallHookName = "install";

    /// <summary>tests/&lt;recipe&gt;/: the declarative checks of checks.yaml, then every executable file but the install hook.</summary>
    public static List<CheckSpec> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var checks = new List<CheckSpec>();
        var file = Path.Combine(folder, "checks.yaml");
        if (File.Exists(file))
        {
            var y = new YamlReader(file);
            var top = y.Entries(y.Load(File.ReadAllText(file)), "", ["checks"]);
            if (top.TryGetValue("checks", out var list)) checks.AddRange(Read(y, list, "checks"));
        }
        checks.AddRange(Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .Where(f => (File.GetUnixFileMode(f) & UnixFileMode.UserExecute) != 0 && Path.GetFileName(f) != InstallHookName)
            .Select(f => new ScriptCheck(Path.GetFileName(f), f)));
        return checks;
    }
}
