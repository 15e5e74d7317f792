using System.Text.RegularExpressions;

namespace RecipeCi.Recipes;

/// <summary>
/// A recipe version, <c>&lt;recipe-semver&gt;+&lt;upstream-version&gt;</c> (e.g. <c>0.7.0+3.3.1</c>);
/// a tag may carry a <c>v</c> prefix (<c>v1.0.3</c>), which is not part of the order.
/// Ordered by the recipe's semver (pre-releases first, as semver says), then by the upstream part
/// compared piece by piece, numbers as numbers (<c>+1.2</c> before <c>+1.10</c>; a piece that is not
/// a number sorts after numbers, text by ordinal), and no upstream part before any.
/// </summary>
public sealed partial class RecipeVersion : IComparable<RecipeVersion>, IEquatable<RecipeVersion>
{
    public int Major { get; }
    public int Minor { get; }
    public int Patch { get; }
    public string PreRelease { get; }
    public string Upstream { get; }
    public string Text { get; }

    private RecipeVersion(int major, int minor, int patch, string pre, string upstream, string text)
    {
        (Major, Minor, Patch, PreRelease, Upstream, Text) = (major, minor, patch, pre, upstream, text);
    }

    [GeneratedRegex(@"^v?(?<maj>0|[1-9]\d*)\.(?<min>0|[1-9]\d*)\.(?<pat>0|[1-9]\d*)(?:-(?<pre>[0-9A-Za-z.-]+))?(?:\+(?<up>.+))?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out RecipeVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        version = new RecipeVersion(int.Parse(m.Groups["maj"].Value), int.Parse(m.Groups["min"].Value),
            int.Parse(m.Groups["pat"].Value), m.Groups["pre"].Value, m.Groups["up"].Value, text.Trim());
        return true;
    }

    public static RecipeVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a recipe version (<semver>+<upstream>, e.g. 1.2.0+3.4.5)");

    public int CompareTo(RecipeVersion? other)
    {
        if (other is null) return 1;
        var c = CompareSemver(other);
        return c != 0 ? c : ComparePieces(Upstream, other.Upstream);
    }

    /// <summary>
    /// Whether this is an older release than <paramref name="other"/>: a lower recipe semver, or the
    /// same one with a lower upstream part. A version without an upstream part (a <c>v1.0.3</c> tag)
    /// says nothing about upstream, so it is not older than <c>1.0.3+1.0.3</c>: the same release,
    /// and an upgrade from it would test X to X.
    /// </summary>
    public bool IsOlderThan(RecipeVersion other)
    {
        var c = CompareSemver(other);
        if (c != 0) return c < 0;
        return Upstream.Length > 0 && other.Upstream.Length > 0 && ComparePieces(Upstream, other.Upstream) < 0;
    }

    private int CompareSemver(RecipeVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        return c != 0 ? c : ComparePreRelease(PreRelease, other.PreRelease);
    }

    private static int ComparePreRelease(string a, string b)
    {
        if (a == b) return 0;
        if (a.Length == 0) return 1;   // a release outranks its pre-releases
        if (b.Length == 0) return -1;
        return ComparePieces(a, b);
    }

    [GeneratedRegex(@"\d+|[^\d.\-_]+")]
    private static partial Regex Piece();

    /// <summary>Natural order: "3.10" after "3.9", "1.0.0-rc1" before "1.0.0-rc2".</summary>
    internal static int ComparePieces(string a, string b)
    {
        var pa = Piece().Matches(a).Select(m => m.Value).ToList();
        var pb = Piece().Matches(b).Select(m => m.Value).ToList();
        for (var i = 0; i < Math.Min(pa.Count, pb.Count); i++)
        {
            var na = long.TryParse(pa[i], out var x);
            var nb = long.TryParse(pb[i], out var y);
            var c = na && nb ? x.CompareTo(y) : na ? -1 : nb ? 1 : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0) return c;
        }
        return pa.Count.CompareTo(pb.Count);
    }

    public bool Equals(RecipeVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is RecipeVersion v && Equals(v);
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, PreRelease, Upstream);
    public override string ToString() => Text;
    public static bool operator <(RecipeVersion a, RecipeVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(RecipeVersion a, RecipeVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(RecipeVersion a, RecipeVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(RecipeVersion a, RecipeVersion b) => a.CompareTo(b) >= 0;
}
