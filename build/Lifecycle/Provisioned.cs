using System.Collections.Immutable;
using System.Text.RegularExpressions;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What provision hooks gave: env lines for the app (<c>KEY=VALUE</c>), the values of secrets its
/// compose expects (<c>secret NAME VALUE</c>), created in swarm under the app's stack before its
/// deploy, and values only the checks need (<c>check NAME VALUE</c>, a test user's password), kept in
/// this run's memory and never written to swarm or the app's env. Secret and check values are
/// registered with the run's redactor before anything is written.
/// </summary>
public sealed partial record Provisioned(ImmutableDictionary<string, string> Env, ImmutableDictionary<string, string> Secrets, ImmutableDictionary<string, string> Checks)
{
    public static readonly Provisioned Nothing = new(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty);

    [GeneratedRegex("^(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$")]
    private static partial Regex EnvLine();

    [GeneratedRegex("^(?<kind>secret|check) (?<name>[a-z0-9_]+) (?<value>\\S+)$")]
    private static partial Regex NamedLine();

    /// <summary>This and what a later hook gave; the later hook's value wins for a name both give.</summary>
    public Provisioned With(Provisioned later) => new(Env.SetItems(later.Env), Secrets.SetItems(later.Secrets), Checks.SetItems(later.Checks));

    /// <summary>The values that are never written as they are: the secrets' and the checks'.</summary>
    public IEnumerable<string> Hidden => Secrets.Values.Concat(Checks.Values);

    /// <summary>
    /// A hook's standard output, line by line; blank lines and <c>#</c> comments are skipped. A line
    /// of any other shape is bad input, named by its number and first word only (it may hold a value);
    /// so is a name given both as a secret and as a check value (the app mounts it: a check reads it as
    /// <c>secret:NAME</c>).
    /// </summary>
    public static Provisioned Parse(string output, string hook)
    {
        var env = ImmutableDictionary.CreateBuilder<string, string>();
        var secrets = ImmutableDictionary.CreateBuilder<string, string>();
        var checks = ImmutableDictionary.CreateBuilder<string, string>();
        var named = new Dictionary<string, (string Kind, int Line)>();
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (NamedLine().Match(line) is { Success: true } s)
            {
                var (kind, name) = (s.Groups["kind"].Value, s.Groups["name"].Value);
                if (named.TryGetValue(name, out var first) && first.Kind != kind)
                    throw new BadInputException($"{hook}: output line {i + 1} gives '{name}' as a {kind} value, and line {first.Line} as a {first.Kind}. " +
                        "Fix: print it once: 'secret' when the app's compose mounts it (a check reads it as secret:NAME), 'check' when only the checks need it (check:NAME)");
                named.TryAdd(name, (kind, i + 1));
                (kind == "secret" ? secrets : checks)[name] = s.Groups["value"].Value;
            }
            else if (EnvLine().Match(line) is { Success: true } e) env[e.Groups["key"].Value] = e.Groups["value"].Value;
            else
                throw new BadInputException($"{hook}: output line {i + 1} (starting '{FirstWord(line)}') is none of KEY=VALUE, 'secret NAME VALUE' or 'check NAME VALUE'. " +
                    "Fix: print only KEY=VALUE lines for the app's env, 'secret name value' lines for its secrets and 'check name value' lines for values only its checks need " +
                    "(lower-case name, value without spaces); send anything else to stderr");
        }
        return new Provisioned(env.ToImmutable(), secrets.ToImmutable(), checks.ToImmutable());
    }

    private static string FirstWord(string line)
    {
        var word = line.Trim().Split(' ', '=')[0];
        return word.Length > 16 ? word[..16] : word;
    }
}
