using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// L008: Docker refuses a service name over 63 characters and a secret or config name over 64.
/// The recipe must fit with any stack abra may make, so names are measured with the longest (45).
/// </summary>
public static class NameLengthCheck
{
    /// <summary>Stands for the longest stack name abra makes.</summary>
    public static readonly StackName LongestStack = new(new string('x', AppNaming.MaxStackName));

    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var definitions in tree.Services.GroupBy(d => d.Service.Name))
        {
            var (file, service) = definitions.First();
            foreach (var problem in AppNaming.NameProblems(LongestStack, [service.Name], []))
                yield return Finding(file.Path, RecipeTree.NameNode(file, service), problem);
        }
        foreach (var file in tree.ComposeFiles)
            foreach (var (section, kind) in new[] { ("secrets", "secret"), ("configs", "config") })
                foreach (var (key, value) in RecipeTree.TopLevel(file, section))
                {
                    // Without a name, docker stack deploy names it <stack>_<key>. *_VERSION values come
                    // from the sample and from abra.sh's exports, as a deploy reads them.
                    var nameNode = value is YamlMappingNode map
                        && map.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? n : null;
                    var name = nameNode is YamlScalarNode { Value: { } raw } ? tree.Expand(raw, LongestStack.Value) : LongestStack.Of(key.Value ?? "");
                    foreach (var problem in AppNaming.NameProblems(LongestStack, [], [(kind, name)]))
                        yield return Finding(file.Path, nameNode ?? key, $"{section}.{key.Value}: {problem}");
                }
    }

    private static LintFinding Finding(string file, YamlNode node, string problem) =>
        LintRules.NameTooLong.At(file, node, $"{problem} (with a {AppNaming.MaxStackName}-character stack name, the longest abra makes)");
}
