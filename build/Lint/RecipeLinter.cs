namespace RecipeCi.Lint;

/// <summary>Recipe CI's own lint of a recipe tree: every rule of <see cref="LintRules"/>, findings in file and line order.</summary>
public static class RecipeLinter
{
    private static readonly Func<RecipeTree, IEnumerable<LintFinding>>[] Checks =
    [
        UpdateRollbackCheck.Check,
        BackupRestoreCheck.Check,
        ServiceDefinitionChecks.DependsOn,
        ServiceDefinitionChecks.Images,
        ServiceDefinitionChecks.Healthchecks,
        VersionLabelCheck.Check,
        NameLengthCheck.Check,
        HostAccessChecks.Check,
    ];

    public static IReadOnlyList<LintFinding> Lint(RecipeTree tree)
    {
        var findings = new List<LintFinding>(tree.Unreadable);
        if (tree.Main is null && tree.Unreadable.All(f => f.File != RecipeTree.MainFile))
            findings.Add(LintRules.ComposeInvalid.At(RecipeTree.MainFile, null, "the recipe has no compose.yml"));
        findings.AddRange(Checks.SelectMany(check => check(tree)));
        // A file in several projects (the default and its alternatives) is judged once per project.
        return findings.DistinctBy(f => (f.Rule, f.File, f.Line)).OrderBy(f => f.File == RecipeTree.MainFile ? "" : f.File, StringComparer.Ordinal)
            .ThenBy(f => f.Line ?? 0).ThenBy(f => f.Rule, StringComparer.Ordinal).ToList();
    }
}
