using RecipeCi.Context;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// <c>--shard=i/n</c>: this runner's share of a sweep. The recipes are sorted by name and the k-th
/// (from 0) belongs to shard <c>k mod n + 1</c>. Every runner computes the same split from the same
/// recipes.yaml, shards differ in size by at most one, and none is empty while n does not exceed
/// the number of recipes (a hash of the name would be stable too, but can leave a shard empty or
/// pile recipes onto one, and an empty shard must not pass for a green sweep).
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(1, 1);

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out var i) && int.TryParse(parts[1], out var n) && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new BadInputException($"--shard '{text}' must be i/n with 1 <= i <= n, e.g. --shard=1/3 for the first of three runners");
    }

    public IReadOnlyList<T> Take<T>(IEnumerable<T> items, Func<T, string> name) =>
        items.OrderBy(name, StringComparer.Ordinal).Where((_, k) => k % Count == Index - 1).ToList();

    public override string ToString() => $"{Index}/{Count}";
}
