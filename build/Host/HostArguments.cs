using Cake.Core;
using Cake.Core.Diagnostics;

namespace RecipeCi.Host;

/// <summary>
/// The command line as Frosting reads it: <c>--name=value</c> or <c>--name value</c>; a bare
/// <c>--name</c> is a flag. Cake's own switches are pulled out; the rest reaches the context.
/// </summary>
internal sealed class HostArguments
{
    private static readonly HashSet<string> HostFlags = ["dryrun", "tree", "description", "help", "exclusive"];

    public string? Target { get; private init; }
    public Verbosity Verbosity { get; private init; } = Verbosity.Normal;
    /// <summary><c>--color=always|never|auto</c>; null (auto) when not given.</summary>
    public string? Color { get; private init; }
    public HashSet<string> Flags { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<KeyValuePair<string, string>> Options { get; } = [];

    public static HostArguments Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        string? target = null;
        var verbosity = Verbosity.Normal;
        string? color = null;
        var result = new List<KeyValuePair<string, string>>();
        var flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (arg is "-h" or "-?") { flags.Add("help"); continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}': options look like --name=value");
            var body = arg[2..];
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0) { name = body[..eq]; value = body[(eq + 1)..]; }
            else if (HostFlags.Contains(body)) { name = body; value = "true"; }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) { name = body; value = list[++i]; }
            else { name = body; value = "true"; }
            name = name.ToLowerInvariant();

            if (name is "target" or "t") target = value;
            else if (name is "verbosity" or "v") verbosity = ParseVerbosity(value);
            else if (name is "color") color = value.ToLowerInvariant() is "always" or "never" or "auto" ? value.ToLowerInvariant()
                : throw new UsageException($"--color takes always, never or auto, not '{value}'");
            else if (HostFlags.Contains(name)) { if (IsTrue(name, value)) flags.Add(name); }
            else result.Add(new(name, value));
        }

        var parsed = new HostArguments { Target = target, Verbosity = verbosity, Color = color };
        parsed.Options.AddRange(result);
        foreach (var f in flags) parsed.Flags.Add(f);
        return parsed;
    }

    /// <summary>The options as Cake arguments; the target is among them, as in Frosting (<c>Argument("target")</c>).</summary>
    public ICakeArguments ToCakeArguments(string? target) =>
        new CakeArguments(Options.Concat(target is null ? [] : [new KeyValuePair<string, string>("target", target)])
            .ToLookup(o => o.Key, o => o.Value, StringComparer.OrdinalIgnoreCase));

    private static bool IsTrue(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new UsageException($"--{name} takes true or false, not '{value}'"),
    };

    private static Verbosity ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "quiet" or "q" => Verbosity.Quiet,
        "minimal" or "m" => Verbosity.Minimal,
        "normal" or "n" => Verbosity.Normal,
        "verbose" or "v" => Verbosity.Verbose,
        "diagnostic" or "d" => Verbosity.Diagnostic,
        _ => throw new UsageException($"unknown verbosity '{value}': use quiet, minimal, normal, verbose or diagnostic"),
    };
}
