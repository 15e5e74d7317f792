using RecipeCi.Recipes;
using RecipeCi.Verdicts;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>
/// Reads check lists (<c>probes:</c> in recipes.yaml, <c>checks:</c> in tests/&lt;recipe&gt;/checks.yaml).
/// Each item has exactly one of <c>http</c>, <c>exec</c>, <c>tcp</c> (checks.yaml also <c>script</c>,
/// an executable of the folder, and <c>browser</c>, steps in a browser), and an optional <c>name</c>;
/// a check in checks.yaml may say when it runs with <c>after: install | upgrade | restore | end</c>
/// and which recipe versions it applies to with <c>from:</c> and <c>until:</c> (both inclusive).
/// </summary>
public static partial class CheckReader
{
    private static readonly string[] ProbeKeys = ["name", "http", "exec", "tcp"];
    private static readonly string[] CheckKeys = [.. ProbeKeys, "script", "browser", "after", "from", "until"];

    /// <summary>Probes of <paramref name="recipe"/>: asked with the health path, so they have no moment, no scripts and no browser.</summary>
    public static List<CheckSpec> Read(YamlReader y, YamlNode node, string path, string recipe) => ReadList(y, node, path, folder: null, recipe);

    /// <param name="folder">The checks file's folder (scripts and moments allowed), or null for probes.</param>
    /// <param name="recipe">Whose probes they are, to say where its browser checks go; null for a checks file.</param>
    private static List<CheckSpec> ReadList(YamlReader y, YamlNode node, string path, string? folder, string? recipe = null)
    {
        var kindsAllowed = folder is null ? "http, exec, tcp" : "http, exec, tcp, script, browser";
        if (YamlReader.IsNull(node)) return [];
        if (node is not YamlSequenceNode seq)
            throw y.Error(node, path, "expected a list of checks", $"write each check as a list item with one of {kindsAllowed}, e.g. '- http: {{service: app}}'");
        var checks = new List<CheckSpec>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (folder is null && seq.Children[i] is YamlMappingNode probe
                && probe.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == "browser") is { } browser)
                throw y.Error(browser, $"{p}.browser", "a browser check is not a probe (probes ask from inside the app's containers with the health path)",
                    $"move it to tests/{recipe}/checks.yaml, where browser checks run at their after: moment; probes here are http, exec or tcp");
            var item = y.Entries(seq.Children[i], p, folder is null ? ProbeKeys : CheckKeys);
            var kinds = item.Keys.Where(k => k is not ("name" or "after" or "from" or "until")).ToList();
            if (kinds.Count != 1)
                throw y.Error(seq.Children[i], p, $"has {(kinds.Count == 0 ? "no" : "more than one")} check kind", $"give exactly one of {kindsAllowed}");
            var kind = kinds[0];
            var check = kind switch
            {
                "script" => Script(y, item, p, folder!),
                "browser" => Browser(y, item[kind], $"{p}.{kind}"),
                _ => Probe(y, item, p, kind),
            };
            // A script is named by its file, as one found without checks.yaml is.
            var name = y.OptionalString(item, "name", p) ?? (check is ScriptCheck ? check.Name : check.Describe());
            var (from, until) = (Version(y, item, p, "from"), Version(y, item, p, "until"));
            if (from is not null && until is not null && until.IsOlderThan(from))
                throw y.Error(item["until"], $"{p}.until", $"{until} is older than from: {from}, so the check applies to no version",
                    "give an until: at or after from:, or swap the two");
            checks.Add(check with { Name = name, After = Moment(y, item, p), From = from, Until = until });
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

    /// <summary>How long a browser step may take unless the check or the step says otherwise.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Each action's keys in its long form; the first is the one its short form (<c>- click: "#go"</c>) gives.</summary>
    private static readonly Dictionary<BrowserAction, string[]> StepKeys = new()
    {
        [BrowserAction.Goto] = ["path", "timeout"],
        [BrowserAction.Fill] = ["selector", "value", "timeout"],
        [BrowserAction.Click] = ["selector", "timeout"],
        [BrowserAction.ExpectText] = ["text", "selector", "timeout"],
        [BrowserAction.ExpectUrl] = ["path", "timeout"],
        [BrowserAction.ExpectStatus] = ["status"],
        [BrowserAction.Screenshot] = ["name"],
        [BrowserAction.WaitFor] = ["selector", "timeout"],
    };

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex FileName();

    /// <summary><c>browser: {timeout: seconds, steps: [...]}</c>: what a visitor does, step by step.</summary>
    private static BrowserCheck Browser(YamlReader y, YamlNode node, string p)
    {
        var body = y.Entries(node, p, ["steps", "timeout"]);
        var timeout = y.OptionalInt(body, "timeout", p, 1, 300) is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultStepTimeout;
        if (!body.TryGetValue("steps", out var list) || list is not YamlSequenceNode { Children.Count: > 0 } seq)
            throw y.Error(body.GetValueOrDefault("steps") ?? node, $"{p}.steps", "expected a list of steps",
                "list what a visitor does, e.g. '- goto: /' then '- expect_text: Welcome'");
        var steps = seq.Children.Select((s, i) => Step(y, s, $"{p}.steps[{i}]", timeout)).ToList();
        var shots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (shot, i) in steps.Select((s, i) => (s as ScreenshotStep, i)).Where(x => x.Item1 is not null))
            if (!shots.Add(shot!.Name))
                throw y.Error(seq.Children[i], $"{p}.steps[{i}].screenshot", $"a second screenshot named '{shot.Name}'", "give each screenshot of the check its own name");
        return new BrowserCheck("", steps);
    }

    private static BrowserStep Step(YamlReader y, YamlNode node, string p, TimeSpan checkTimeout)
    {
        var actions = string.Join(", ", Enum.GetValues<BrowserAction>().Select(a => a.Word()));
        if (node is not YamlMappingNode { Children.Count: 1 } map)
            throw y.Error(node, p, "a step is one action", $"write it as '- <action>: ...' with one of: {actions}");
        var (keyNode, value) = map.Children.Single();
        var word = ((YamlScalarNode)keyNode).Value ?? "";
        var action = EnumWords.Parse<BrowserAction>(word) ?? throw y.Error(keyNode, p, $"unknown step '{word}'", $"use one of: {actions}");
        var sp = $"{p}.{word}";
        var keys = StepKeys[action];
        var args = value is YamlMappingNode ? y.Entries(value, sp, keys)
            : action == BrowserAction.Fill ? throw y.Error(value, sp, "fill needs a selector and a value", "write it as '- fill: {selector: \"#password\", value: \"secret:admin_password\"}'")
            : new Dictionary<string, YamlNode> { [keys[0]] = value };
        string Required(string key, string fix) => y.RequiredString(args, key, sp, value, fix);
        var origin = $"{y.File}:{node.Start.Line}";
        var timeout = y.OptionalInt(args, "timeout", sp, 1, 300) is { } seconds ? TimeSpan.FromSeconds(seconds) : checkTimeout;
        string PathOn(string key)
        {
            var path = Required(key, "give a path on the app's domain, e.g. /login");
            return path.StartsWith('/') ? path : throw y.Error(args[key], $"{sp}.{key}", $"expected a path on the app's domain starting with '/', got '{path}'",
                "write the path only, e.g. /login: the browser reaches the app by its domain over the route traefik would take");
        }
        return action switch
        {
            BrowserAction.Goto => new GotoStep(origin, timeout, PathOn("path")),
            BrowserAction.Fill => new FillStep(origin, timeout, Required("selector", "give a CSS selector, e.g. '#password'"), Value(y, args, sp)),
            BrowserAction.Click => new ClickStep(origin, timeout, Required("selector", "give a CSS selector, e.g. 'button[type=submit]'")),
            BrowserAction.ExpectText => new ExpectTextStep(origin, timeout, Required("text", "give the text a visitor must see"), y.OptionalString(args, "selector", sp)),
            BrowserAction.ExpectUrl => new ExpectUrlStep(origin, timeout, PathOn("path")),
            BrowserAction.ExpectStatus => new ExpectStatusStep(origin, timeout, y.OptionalInt(args, "status", sp, 100, 599)
                ?? throw y.Error(value, $"{sp}.status", "missing", "give the HTTP status the page must answer, e.g. 200")),
            BrowserAction.Screenshot => new ScreenshotStep(origin, timeout, ScreenshotName(y, args, sp, value)),
            _ => new WaitForStep(origin, timeout, Required("selector", "give a CSS selector, e.g. '#dashboard'")),
        };
    }

    private static StepValue Value(YamlReader y, Dictionary<string, YamlNode> args, string sp)
    {
        var written = y.OptionalString(args, "value", sp) ?? throw y.Error(args["selector"], $"{sp}.value", "missing",
            "give the text to type, or name it: 'secret:<name>' (a secret the app's deploy generated) or 'env:<KEY>' (a key of the app's env)");
        var value = StepValue.Parse(written);
        return value.Source == StepValueSource.Literal || value.Text.Length > 0 ? value
            : throw y.Error(args["value"], $"{sp}.value", $"'{written}' names no {value.Source.Word()}", $"write '{written}<name>'");
    }

    private static string ScreenshotName(YamlReader y, Dictionary<string, YamlNode> args, string sp, YamlNode value)
    {
        var name = y.RequiredString(args, "name", sp, value, "name the screenshot, e.g. logged-in");
        if (!FileName().IsMatch(name) || name == BrowserCheck.FailureScreenshot)
            throw y.Error(args["name"], $"{sp}.name", $"'{name}' is not a file name for the screenshot",
                $"use letters, digits, '.', '_' or '-' (it is kept as <name>.png in the check's folder; '{BrowserCheck.FailureScreenshot}' is the failing step's), e.g. logged-in");
        return name;
    }

    private static CheckMoment Moment(YamlReader y, Dictionary<string, YamlNode> item, string p) =>
        y.OptionalString(item, "after", p) is not { } word ? CheckMoment.End
        : EnumWords.Parse<CheckMoment>(word) ?? throw y.Error(item["after"], $"{p}.after", $"unknown moment '{word}'",
            $"use one of: {string.Join(", ", Enum.GetValues<CheckMoment>().Select(m => m.Word()))}");

    private static RecipeVersion? Version(YamlReader y, Dictionary<string, YamlNode> item, string p, string key) =>
        y.OptionalString(item, key, p) is not { } text ? null
        : RecipeVersion.TryParse(text, out var version) ? version
        : throw y.Error(item[key], $"{p}.{key}", $"'{text}' is not a recipe version",
            $"write a release version as the recipe's tags name them, e.g. '{key}: 2.0.0' or '{key}: 2.0.0+1.4.2'");

    /// <summary>The install hook's file in tests/&lt;recipe&gt;/: it runs before the first deploy, never as a check.</summary>
    public const string InstallHookName = "install";

    /// <summary>
    /// tests/&lt;recipe&gt;/: the checks of checks.yaml, then every other executable file but the
    /// install hook and the <paramref name="hooks"/> (the recipe's provision hooks), at the end: a
    /// script needs checks.yaml only to run at another moment.
    /// </summary>
    public static List<CheckSpec> ReadFolder(string folder, IEnumerable<string>? hooks = null)
    {
        var notChecks = (hooks ?? []).Append(InstallHookName).ToHashSet(StringComparer.Ordinal);
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
            .Where(f => (File.GetUnixFileMode(f) & UnixFileMode.UserExecute) != 0 && Path.GetFileName(f) is var n && !notChecks.Contains(n) && !listed.Contains(n))
            .Select(f => new ScriptCheck(Path.GetFileName(f), f)));
        return checks;
    }
}
