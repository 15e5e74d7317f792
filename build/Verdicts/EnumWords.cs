using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;

namespace RecipeCi.Verdicts;

/// <summary>
/// The word an enum value is written as, in JSON and on the console alike: its
/// <see cref="EnumMemberAttribute"/> value, else its name in snake_case.
/// </summary>
public static class EnumWords
{
    private static readonly ConcurrentDictionary<(Type, string), string> Cache = new();

    public static string Word<T>(this T value) where T : struct, Enum =>
        Cache.GetOrAdd((typeof(T), value.ToString()), key =>
            typeof(T).GetField(key.Item2)?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? SnakeCase(key.Item2));

    /// <summary>The value written as <paramref name="word"/>, or null.</summary>
    public static T? Parse<T>(string word) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => v!.Value.Word() == word);

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
