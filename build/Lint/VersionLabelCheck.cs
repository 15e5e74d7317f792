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
                "services.app has no coop-cloud.${STACK_NAME}.version label" + Elsewhere(tree, app));
            yield break;
        }
        var node = app.DeployLabels.First(l => l.Key.StartsWith("coop-cloud.", StringComparison.Ordinal) && l.Key.EndsWith(".version", StringComparison.Ordinal) && l.Value == label).Node;
        if (!RecipeVersion.TryParse(label, out var version))
            yield return LintRules.VersionLabel.At(main.Path, node, $"the version label '{label}' is not a recipe version (<semver>+<upstream>, e.g. 1.2.0+3.4.5)");
        else if (version.Upstream.Length == 0)
            yield return LintRules.VersionLabel.At(main.Path, node, $"the version label '{label}' has no +<upstream> part (<semver>+<upstream>, e.g. 1.2.0+3.4.5)");
        else if (tree.ReleaseTags.Count > 0 && !tree.ReleaseTags.Any(tag => SameRelease(tag, version)))
            yield return LintRules.VersionLabel.At(main.Path, node,
                $"the version label says '{label}' but the tested commit is the release {string.Join(", ", tree.ReleaseTags)}");
    }

    /// <summary>
    /// A release tag names the label's version when their semver parts agree and, where the tag
    /// carries one, the upstream part too: <c>v1.0.3</c> is the release <c>1.0.3+1.0.3</c>.
    /// </summary>
    private static bool SameRelease(string tag, RecipeVersion label) =>
        RecipeVersion.TryParse(tag, out var t)
        && (t.Major, t.Minor, t.Patch, t.PreRelease) == (label.Major, label.Minor, label.Patch, label.PreRelease)
        && (t.Upstream.Length == 0 || t.Upstream == label.Upstream);

    /// <summary>What a maintainer may have meant instead: an old-style <c>.app.version</c> label, or the label on another service.</summary>
    private static string Elsewhere(RecipeTree tree, ComposeService app)
    {
        var found = tree.Services
            .SelectMany(d => d.Service.DeployLabels.Where(l => l.Key.StartsWith("coop-cloud.", StringComparison.Ordinal) && l.Key.EndsWith("version", StringComparison.Ordinal))
                .Select(l => d.Service == app ? $"'{l.Key}={l.Value}' on app ({d.File.Path}:{l.Node.Start.Line})" : $"'{l.Key}={l.Value}' on service {d.Service.Name} ({d.File.Path}:{l.Node.Start.Line})"))
            .ToList();
        return found.Count == 0 ? "" : $"; found instead: {string.Join(", ", found)}";
    }
}
