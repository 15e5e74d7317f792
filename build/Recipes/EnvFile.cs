using System.Text.RegularExpressions;

namespace RecipeCi.Recipes;

/// <summary>
/// An abra app env file (<c>$ABRA_DIR/servers/&lt;server&gt;/&lt;domain&gt;.env</c>): ordered
/// <c>KEY=value</c> lines with comments kept, and <c>$VAR</c> / <c>${VAR:-default}</c> expansion as
/// abra applies it (e.g. <c>COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"</c>).
/// </summary>
public sealed partial class EnvFile
{
    private readonly List<string> _lines;

    public string Path { get; }

    private EnvFile(string path, List<string> lines) => (Path, _lines) = (path, lines);

    public static EnvFile Load(string path) => new(path, [.. File.ReadAllLines(path)]);

    public static EnvFile FromText(string path, string text) => new(path, [.. text.Replace("\r", "").Split('\n')]);

    [GeneratedRegex(@"^\s*(?:export\s+)?(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$")]
    private static partial Regex Assignment();

    /// <summary>The variables after evaluating every line in order (later lines win).</summary>
    public Dictionary<string, string> Values()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in _lines)
        {
            var m = Assignment().Match(line);
            if (!m.Success) continue;
            values[m.Groups["key"].Value] = Interpolate(Unquote(m.Groups["value"].Value), values);
        }
        return values;
    }

    public string? Get(string key) => Values().GetValueOrDefault(key);

    /// <summary>The keys the file assigns, in the order of their first assignment.</summary>
    public IEnumerable<string> Keys() =>
        _lines.Select(l => Assignment().Match(l)).Where(m => m.Success).Select(m => m.Groups["key"].Value).Distinct();

    /// <summary>The last line assigning a key, comment and all (abra reads hints such as <c># length=</c> from it).</summary>
    public string? Line(string key) =>
        _lines.LastOrDefault(l => Assignment().Match(l) is { Success: true } m && m.Groups["key"].Value == key);

    /// <summary>Appends a line as it is.</summary>
    public void Append(string line) => _lines.Add(line);

    /// <summary>Sets a key: replaces its last assignment, or appends one.</summary>
    public void Set(string key, string value)
    {
        var rendered = $"{key}={(value.Any(c => c is ' ' or '#' or '$' or '"') ? "'" + value + "'" : value)}";
        var index = _lines.FindLastIndex(l => Assignment().Match(l) is { Success: true } m && m.Groups["key"].Value == key);
        // Earlier assignments of the key (e.g. COMPOSE_FILE built up line by line) are dropped so
        // the file says one thing.
        for (var i = _lines.Count - 1; i >= 0; i--)
            if (i != index && Assignment().Match(_lines[i]) is { Success: true } m && m.Groups["key"].Value == key)
            {
                _lines.RemoveAt(i);
                if (i < index) index--;
            }
        if (index >= 0) _lines[index] = rendered; else _lines.Add(rendered);
    }

    public void Save() => Files.AtomicFile.Replace(Path, string.Join("\n", _lines).TrimEnd('\n') + "\n");

    public override string ToString() => string.Join("\n", _lines);

    private static string Unquote(string raw)
    {
        raw = raw.Trim();
        if (raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') )
        {
            var close = raw.IndexOf(raw[0], 1);
            if (close > 0) return raw[1..close];
        }
        var hash = raw.IndexOf(" #", StringComparison.Ordinal);
        return (hash >= 0 ? raw[..hash] : raw).Trim();
    }

    [GeneratedRegex(@"\$(?:(?<escaped>\$)|\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Reference();

    /// <summary>
    /// Expands references as the docker CLI's compose loader does (observed on this engine):
    /// <c>$$</c> is a literal <c>$</c>; <c>${V:-d}</c> takes d when V is unset or empty, <c>${V-d}</c>
    /// only when unset; <c>${V:?msg}</c> and <c>${V?msg}</c> refuse the file the same way;
    /// <c>$V</c> and <c>${V}</c> are V or empty. Keys of a mapping are never expanded (a label key
    /// written <c>coop-cloud.${STACK_NAME}.version:</c> stays literal), so callers expand values only.
    /// </summary>
    /// <exception cref="ConfigException">A required variable (<c>?</c>) has no value; names it and the message.</exception>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> values) =>
        Reference().Replace(text, m =>
        {
            if (m.Groups["escaped"].Success) return "$";
            var name = m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["bare"].Value;
            var value = values.GetValueOrDefault(name);
            var op = m.Groups["op"].Value;
            var usable = op.StartsWith(':') ? !string.IsNullOrEmpty(value) : value is not null;
            return op switch
            {
                "" => value ?? "",
                ":-" or "-" => usable ? value ?? "" : m.Groups["arg"].Value,
                _ => usable ? value ?? "" : throw new ConfigException(
                    $"required variable {name} is missing a value{(m.Groups["arg"].Value.Length > 0 ? ": " + m.Groups["arg"].Value : "")}"),
            };
        });
}
