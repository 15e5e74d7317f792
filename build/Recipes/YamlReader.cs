using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>
/// Reads a YAML mapping key by key, so that every error can say which file, line and key is wrong
/// and what would fix it. Unknown keys are errors: a typo must not be silently ignored.
/// </summary>
public sealed class YamlReader
{
    public string File { get; }

    public YamlReader(string file) => File = file;

    public YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            // Anchors, aliases and merge keys (<<: *defaults) resolved as compose reads them: a
            // healthcheck merged in from an x- block is the service's own.
            stream.Load(new MergingParser(new Parser(new StringReader(text))));
        }
        catch (YamlException ex)
        {
            // An unclosed bracket or quote is noticed only where the file or the next key starts: the fix says where to look.
            throw new ConfigException($"{File}:{ex.Start.Line}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}. " +
                                      "Fix: at or above that line, close every '[', '{' and quote, indent with spaces only, and give each key once");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException($"{File}: expected a mapping at the top level");
        return root;
    }

    public ConfigException Error(YamlNode node, string path, string problem, string fix) =>
        new($"{File}:{node.Start.Line}: {path}: {problem}. Fix: {fix}");

    public Dictionary<string, YamlNode> Entries(YamlNode node, string path, IReadOnlyCollection<string>? allowed)
    {
        if (node is not YamlMappingNode map)
            throw Error(node, path, "expected a mapping", "write it as 'key: value' lines");
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            if (allowed is not null && !allowed.Contains(key))
                throw Error(k, $"{path}.{key}".TrimStart('.'), "unknown key",
                    $"use one of: {string.Join(", ", allowed)}");
            result[key] = v;
        }
        return result;
    }

    public string? OptionalString(Dictionary<string, YamlNode> map, string key, string path)
    {
        if (!map.TryGetValue(key, out var node) || IsNull(node)) return null;
        if (node is not YamlScalarNode s) throw Error(node, $"{path}.{key}", "expected a text value", "quote it as a single string");
        return s.Value;
    }

    public string RequiredString(Dictionary<string, YamlNode> map, string key, string path, YamlNode parent, string fix) =>
        OptionalString(map, key, path) ?? throw Error(parent, $"{path}.{key}", "missing", fix);

    public int? OptionalInt(Dictionary<string, YamlNode> map, string key, string path, int min, int max)
    {
        var text = OptionalString(map, key, path);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Error(map[key], $"{path}.{key}", $"expected a whole number from {min} to {max}, got '{text}'", $"write a number such as {Math.Max(min, Math.Min(max, 300))}");
        return value;
    }

    public List<int>? OptionalIntList(Dictionary<string, YamlNode> map, string key, string path)
    {
        if (!map.TryGetValue(key, out var node) || IsNull(node)) return null;
        if (node is not YamlSequenceNode seq) throw Error(node, $"{path}.{key}", "expected a list", "write it as [200, 301]");
        return seq.Children.Select(c => c is YamlScalarNode { Value: { } v } && int.TryParse(v, out var i)
            ? i : throw Error(c, $"{path}.{key}", "expected whole numbers", "write it as [200, 301]")).ToList();
    }

    public Dictionary<string, string> OptionalStringMap(Dictionary<string, YamlNode> map, string key, string path)
    {
        if (!map.TryGetValue(key, out var node) || IsNull(node)) return [];
        return Entries(node, $"{path}.{key}", null).ToDictionary(e => e.Key, e => e.Value is YamlScalarNode { Value: var v }
            ? v ?? "" : throw Error(e.Value, $"{path}.{key}.{e.Key}", "expected a text value", "quote it as a single string"));
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
