using System.Reflection;

namespace RecipeCi.Host;

/// <summary>
/// The options a target reads (names without <c>--</c>; an argument may hold several, separated by
/// spaces, so that targets can share a constant list). A target given an option it does not read
/// is bad input, named with the targets that do read it. A task without this attribute is not checked.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReadsOptionsAttribute(params string[] options) : Attribute
{
    public IReadOnlySet<string> Options { get; } =
        options.SelectMany(o => o.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The first option given that the target does not read, as one line naming the targets that
    /// read it and the fix; null when every option is read. Options no task declares are left to the context,
    /// which knows its options (an unknown one is its error to report).
    /// </summary>
    internal static string? Check(Type target, string targetName, IEnumerable<string> given, IEnumerable<(string Name, Type Type)> tasks)
    {
        if (target.GetCustomAttribute<ReadsOptionsAttribute>() is not { } reads) return null;
        var declared = tasks.Select(t => (t.Name, Reads: t.Type.GetCustomAttribute<ReadsOptionsAttribute>()?.Options))
            .Where(t => t.Reads is not null).ToList();
        foreach (var option in given.Where(o => !reads.Options.Contains(o)))
        {
            var readers = declared.Where(t => t.Reads!.Contains(option)).Select(t => t.Name).ToList();
            if (readers.Count > 0)
                return $"--{option} is not read by the {targetName} target; it is read by {string.Join(", ", readers)}. Fix: drop --{option}, or run one of those targets";
        }
        return null;
    }
}
