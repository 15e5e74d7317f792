using System.Text.RegularExpressions;
using RecipeCi.Recipes;

namespace RecipeCi.Abra;

/// <summary>A secret an app's env declares (<c>SECRET_&lt;NAME&gt;_VERSION=vN</c>) with abra's hints from the line's comment.</summary>
/// <param name="Length">From <c># length=N</c>; 32 without it.</param>
/// <param name="Generate">False with <c># generate=false</c>: an operator inserts its value, abra never generates it.</param>
public sealed record DeclaredSecret(string Name, string Version, int Length, bool Generate);

/// <summary>The secrets an app env file declares, read as abra reads them.</summary>
public static partial class AppSecrets
{
    [GeneratedRegex(@"^SECRET_(?<name>[A-Z0-9_]+)_VERSION$")]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"#.*length=(?<len>\d+)")]
    private static partial Regex LengthModifier();

    [GeneratedRegex(@"#.*generate=false")]
    private static partial Regex NoGenerateModifier();

    public static IEnumerable<DeclaredSecret> Declared(string envPath)
    {
        var values = EnvFile.Load(envPath).Values();
        var hints = File.ReadAllLines(envPath).Select(l => (Key: l.Split('=')[0].Trim(), Line: l))
            .Where(x => x.Line.Contains('#')).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Last().Line);
        foreach (var (key, version) in values)
        {
            if (SecretKey().Match(key) is not { Success: true } m) continue;
            var hint = hints.GetValueOrDefault(key, "");
            var length = LengthModifier().Match(hint) is { Success: true } l ? int.Parse(l.Groups["len"].Value) : 32;
            yield return new DeclaredSecret(m.Groups["name"].Value.ToLowerInvariant(), version, length, !NoGenerateModifier().IsMatch(hint));
        }
    }
}
