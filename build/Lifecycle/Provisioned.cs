using System.Collections.Immutable;
using System.Text.RegularExpressions;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What provision hooks wired into the app: env lines (<c>KEY=VALUE</c>) and the values of secrets
/// its compose expects (<c>secret NAME VALUE</c>), created in swarm under the app's stack before its
/// deploy. Secret values are registered with the run's redactor before anything is written.
/// </summary>
public sealed partial record Provisioned(ImmutableDictionary<string, string> Env, ImmutableDictionary<string, string> Secrets)
{
    public static readonly Provisioned Nothing = new(ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty);

    [GeneratedRegex("^(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$")]
    private static partial Regex EnvLine();

    [GeneratedRegex("^secret (?<name>[a-z0-9_]+) (?<value>\\S+)$")]
    private static partial Regex SecretLine();

    /// <summary>This and what a later hook gave; the later hook's value wins for a key both give.</summary>
    public Provisioned With(Provisioned later) => new(Env.SetItems(later.Env), Secrets.SetItems(later.Secrets));

    /// <summary>
    /// A hook's standard output, line by line; blank lines and <c>#</c> comments are skipped. A line
    /// of any other shape is bad input, named by its number and first word only (it may hold a value).
    /// </summary>
    public static Provisioned Parse(string output, string hook)
    {
        var env = ImmutableDictionary.CreateBuilder<string, string>();
        var secrets = ImmutableDictionary.CreateBuilder<string, string>();
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (SecretLine().Match(line) is { Success: true } s) secrets[s.Groups["name"].Value] = s.Groups["value"].Value;
            else if (EnvLine().Match(line) is { Success: true } e) env[e.Groups["key"].Value] = e.Groups["value"].Value;
            else
                throw new BadInputException($"{hook}: output line {i + 1} (starting '{FirstWord(line)}') is neither KEY=VALUE nor 'secret NAME VALUE'. " +
                    "Fix: print only KEY=VALUE lines for the app's env and 'secret name value' lines (lower-case name, value without spaces) for its secrets; send anything else to stderr");
        }
        return new Provisioned(env.ToImmutable(), secrets.ToImmutable());
    }

    private static string FirstWord(string line)
    {
        var word = line.Trim().Split(' ', '=')[0];
        return word.Length > 16 ? word[..16] : word;
    }
}
