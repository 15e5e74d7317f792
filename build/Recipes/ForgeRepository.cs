using System.Text.RegularExpressions;

namespace RecipeCi.Recipes;

/// <summary>
/// A recipe's repository on the forge, where its pull requests are opened and <c>!testme</c> is
/// commented: <c>owner/name</c> as recipes.yaml's <c>forge:</c> gives it. The owner is the
/// organisation (or user) whose members may trigger runs.
/// </summary>
public sealed partial record ForgeRepository(string Owner, string Name)
{
    [GeneratedRegex("^([A-Za-z0-9][A-Za-z0-9_.-]*)/([A-Za-z0-9_.-]+)$")]
    private static partial Regex Shape();

    public static ForgeRepository? TryParse(string? text) =>
        text is not null && Shape().Match(text) is { Success: true } m && !m.Groups[2].Value.EndsWith(".git", StringComparison.Ordinal)
            ? new ForgeRepository(m.Groups[1].Value, m.Groups[2].Value)
            : null;

    public override string ToString() => $"{Owner}/{Name}";
}
