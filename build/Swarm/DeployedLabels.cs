using RecipeCi.Recipes;

namespace RecipeCi.Swarm;

/// <summary>The service labels a deploy of these compose files writes, as swarm will show them.</summary>
public static class DeployedLabels
{
    /// <summary>Labels abra stamps itself; HC1 and the base identity check judge them, not the watcher.</summary>
    private static readonly string[] AbraStamps = ["recipe", "chaos", "version", "chaos-version"];

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Of(IEnumerable<ComposeFile> composes,
        IReadOnlyDictionary<string, string> env, string stack)
    {
        var values = new Dictionary<string, string>(env) { ["STACK_NAME"] = stack };
        var owned = AbraStamps.Select(s => $"coop-cloud.{stack}.{s}").ToHashSet();
        var labels = new Dictionary<string, Dictionary<string, string>>();
        // Later compose files override earlier ones, as docker stack deploy merges them.
        foreach (var service in composes.SelectMany(c => c.Services))
        {
            var mine = labels.TryGetValue(service.Name, out var l) ? l : labels[service.Name] = [];
            foreach (var (key, value, _) in service.DeployLabels)
            {
                var k = EnvFile.Interpolate(key, values);
                if (!owned.Contains(k)) mine[k] = EnvFile.Interpolate(value, values);
            }
        }
        return labels.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value);
    }
}
