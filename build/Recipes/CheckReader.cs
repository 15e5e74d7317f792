using RecipeCi.Recipes;
using RecipeCi.Verdicts;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>
/// Reads check lists (<c>probes:</c> in recipes.yaml, <c>checks:</c> in tests/&lt;recipe&gt;/checks.yaml).
/// Each item has exactly one of <c>http</c>, <c>exec</c>, <c>tcp</c> (checks.yaml also <c>script</c>,
/// an executable of the folder), and an optional <c>name</c>; a check in checks.yaml may say when it
/// runs with <c>after: install | upgrade | restore | end</c>.
/// </summary>
public static class CheckReader
{
    private static readonly string[] ProbeKeys = ["name", "http", "exec", "tcp"];
    private static readonly string[] CheckKeys = [.. ProbeKeys, "script", "after"];

    /// <summary>Probes: asked with the health path, so they have no moment and no scripts.</summary>
    public static List<CheckSpec> Read(YamlReader y, YamlNode node, string path) => ReadList(y, node, path, folder: null);

    /// <param name="folder">The checks file's folder (scripts and moments allowed), or null for probes.</param>
    private static List<CheckSpec> ReadList(YamlReader y, YamlNode node, string path, string? folder)
    {
        var kindsAllowed = folder is null ? "http, exec, tcp" : "http, exec, tcp, script";
        if (YamlReader.IsNull(node)) return [];
        if (node is not YamlSequenceNode seq)
            throw y.Error(node, path, "expected a list of checks", $"write each check as a list item with one of {kindsAllowed}, e.g. '- http: {{service: app}}'");
        var checks = new List<CheckSpec>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var p = $"{path}[{i}]";
            var item = y.Entries(seq.Children[i], p, folder is null ? ProbeKeys : CheckKeys);
            var kinds = item.Keys.Where(k => k is not ("name" or "after")).ToList();
            if (kinds.Count != 1)
                throw y.Error(seq.Children[i], p, $"has {(kinds.Count == 0 ? "no" : "more than one")} check kind", $"give exactly one of {kindsAllowed}");
            var kind = kinds[0];
            var check = kind == "script" ? Script(y, item, p, folder!) : Probe(y, item, p, kind);
            // A script is named by its file, as one found without checks.yaml is.
            var name = y.OptionalString(item, "name", p) ?? (check is ScriptCheck ? check.Name : check.Describe());
            checks.Add(check with { Name = name, After = Moment(y, item, p) });
        }
        return checks;
    }

    private static CheckSpec Probe(YamlReader y, Dictionary<string, YamlNode> item, string p, string kind)
    {
        var body = y.Entries(item[kind], $"{p}.{kind}", kind switch
        {
            "http" => ["service", "port", "path", "status", "contains"],
            "exec" => ["service", "command", "exit", "contains"],
            _ => ["service", "port", "stable"],
        });
        var bp = $"{p}.{kind}";
        var service = y.RequiredString(body, "service", bp, item[kind], "name the compose service to ask, e.g. app");
        return kind switch
        {
            "http" => new HttpCheck("", service, y.OptionalInt(body, "port", bp, 1, 65535) ?? 80,
                y.OptionalString(body, "path", bp) ?? "/", y.OptionalIntList(body, "status", bp) ?? [200], y.OptionalString(body, "contains", bp)),
            "exec" => new ExecCheck("", service, y.RequiredString(body, "command", bp, item[kind], "give a shell command"),
                y.OptionalInt(body, "exit", bp, 0, 255) ?? 0, y.OptionalString(body, "contains", bp)),
            _ => new TcpCheck("", service, y.OptionalInt(body, "port", bp, 1, 65535)
                ?? throw y.Error(item[kind], $"{bp}.port", "missing", "give the port to connect to"), y.OptionalInt(body, "stable", bp, 1, 100) ?? 1),
        };
    }

    /// <summary>An executable file of the checks file's own folder, named by its file name.</summary>
    private static ScriptCheck Script(YamlReader y, Dictionary<string, YamlNode> item, string p, string folder)
    {
        var file = y.RequiredString(item, "script", p, item["script"], "name an executable file of this folder");
        var path = Path.Combine(folder, file);
        if (file != Path.GetFileName(file) || file == InstallHookName || !File.Exists(path))
            throw y.Error(item["script"], $"{p}.script", $"'{file}' is not a check script of {folder}",
                $"name an executable file directly in {folder} (not '{InstallHookName}', which is the install hook)");
        if ((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            throw y.Error(item["script"], $"{p}.script", $"{path} is not executable", $"chmod +x {path}");
        return new ScriptCheck(file, path);
    }

    private static CheckMoment Moment(YamlReader y, Dictionary<string, YamlNode> item, string p) =>
        y.OptionalString(item, "after", p) is not { } word ? CheckMoment.End
        : EnumWords.Parse<CheckMoment>(word) ?? throw y.Error(item["after"], $"{p}.after", $"unknown moment '{word}'",
            $"use one of: {string.Join(", ", Enum.GetValues<CheckMoment>().Select(m => m.Word()))}");

    /// <summary>The install hook's file in tests/&lt;recipe&gt;/: it runs before the first deploy, never as a check.</summary>
    public const string InstallHookName = "install";

    /// <summary>
    /// tests/&lt;recipe&gt;/: the checks of checks.yaml, then every other executable file but the
    /// install hook (at the end: a script needs checks.yaml only to run at another moment).
    /// </summary>
    public static List<CheckSpec> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var checks = new List<CheckSpec>();
        var file = Path.Combine(folder, "checks.yaml");
        if (File.Exists(file))
        {
            var y = new YamlReader(file);
            var top = y.Entries(y.Load(File.ReadAllText(file)), "", ["checks"]);
            if (top.TryGetValue("checks", out var list)) checks.AddRange(ReadList(y, list, "checks", folder));
        }
        var listed = checks.OfType<ScriptCheck>().Select(c => Path.GetFileName(c.Path)).ToHashSet(StringComparer.Ordinal);
        checks.AddRange(Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .Where(f => (File.GetUnixFileMode(f) & UnixFileMode.UserExecute) != 0 && Path.GetFileName(f) is var n && n != InstallHookName && !listed.Contains(n))
            .Select(f => new ScriptCheck(Path.GetFileName(f), f)));
        return checks;
    }
}
