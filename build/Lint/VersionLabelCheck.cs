using RecipeCi.Recipes;

namespace RecipeCi.Lint;

/// <summary>
/// L007: the version label is what abra and HC1 read back from a deployed service. On a release
/// commit it must be that release, or a deploy of the tag says it is something else.
/// </summary>
public static class VersionLabelCheck
{
    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        if (tree.Main is not { } main) yield break;
        if (main.Service("app") is not { } app)
        {
            yield return LintRules.VersionLabel.At(main.Path, main.Root,
                "there is no service named 'app', so nothing carries the coop-cloud.${STACK_NAME}.version label");
            yield break;
        }
        var label = main.VersionLabel;
        if (label is null)
        {
            yield return LintRules.VersionLabel.At(main.Path, RecipeTree.NameNode(main, app),
                "services.app has no coop-cloud.${STACK_NAME}.version label");
            yield break;
        }
        var node = app.DeployLabels.First(l => l.Key.StartsWith("coop-cloud.", StringComparison.Ordinal) && l.Key.EndsWith(".version", StringComparison.Ordinal) && l.Value == label).Node;
        if (!RecipeVersion.TryParse(label, out _))
            yield return LintRules.VersionLabel.At(main.Path, node, $"the version label '{label}' is not a recipe version (<semver>+<upstream>, e.g. 1.2.0+3.4.5)");
        else if (tree.ReleaseTags.Count > 0 && !tree.ReleaseTags.Contains(label))
            yield return LintRules.VersionLabel.At(main.Path, node,
                $"the version label says '{label}' but the tested commit is the release {string.Join(", ", tree.ReleaseTags)}");
    }
}
