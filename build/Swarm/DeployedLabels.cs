using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Swarm;

/// <summary>The service labels a deploy of a recipe project writes, as swarm will show them.</summary>
public static class DeployedLabels
{
    /// <summary>Labels abra stamps itself; HC1 and the base identity check judge them, not the watcher.</summary>
    private static readonly AbraLabel[] AbraStamps = [AbraLabel.Recipe, AbraLabel.Chaos, AbraLabel.Version, AbraLabel.ChaosVersion];

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Of(RecipeProject project, StackName stack)
    {
        var owned = AbraStamps.Select(stack.Label).ToHashSet();
        return project.Services.ToDictionary(s => s.Name, s => (IReadOnlyDictionary<string, string>)project.Labels(s)
            .Where(kv => !owned.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value));
    }
}
