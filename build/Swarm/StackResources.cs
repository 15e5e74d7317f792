using RecipeCi.Processes;

namespace RecipeCi.Swarm;

/// <summary>
/// Everything of a stack on the swarm: services, containers, networks, volumes, secrets and
/// configs, found by the stack's label or its name prefix; removed with docker and waited for.
/// </summary>
public static class StackResources
{
    public static readonly string[] Kinds = ["service", "container", "network", "volume", "secret", "config"];
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>Every resource of the stack, by its stack label or its name prefix, as <c>kind:id</c>.</summary>
    public static async Task<List<string>> RemainingAsync(DockerCli docker, StackName stack, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var kind in Kinds)
        {
            var byLabel = await docker.ResourceIdsAsync(kind, stack.Value, ct);
            var byName = kind == "container" ? [] : await docker.NamesWithPrefixAsync(kind, stack.Of(""), ct);
            found.AddRange(byLabel.Concat(byName).Distinct().Select(x => $"{kind}:{x}"));
        }
        return found.Distinct().ToList();
    }

    /// <summary>Removes what docker still lists of the stack; returns what it removed.</summary>
    public static async Task<List<string>> SweepAsync(DockerCli docker, StackName stack, Action<string> log, CancellationToken ct)
    {
        var swept = new List<string>();
        foreach (var kind in new[] { "service", "volume", "secret", "config", "network" })
        {
            var items = (await docker.ResourceIdsAsync(kind, stack.Value, ct))
                .Concat(await docker.NamesWithPrefixAsync(kind, stack.Of(""), ct)).Distinct().ToList();
            foreach (var item in items)
            {
                var problem = await docker.RemoveAsync(kind, item, ct);
                if (problem is null) swept.Add($"{kind}:{item}");
                else log($"could not remove {kind} {item}: {problem}");
            }
            if (kind == "service" && items.Count > 0) await WaitGoneAsync(docker, stack, ["container"], TimeSpan.FromMinutes(1), log, ct);
        }
        return swept;
    }

    /// <summary>Waits until docker lists none of these kinds of the stack by its label; says what stayed.</summary>
    public static async Task WaitGoneAsync(DockerCli docker, StackName stack, string[] kinds, TimeSpan budget, Action<string> log, CancellationToken ct)
    {
        var gone = await Poll.UntilAsync(new PollPlan(Interval, budget), async () =>
        {
            foreach (var k in kinds)
                if ((await docker.ResourceIdsAsync(k, stack.Value, ct)).Count > 0) return false;
            return true;
        }, null, ct);
        if (!gone) log($"still present after {budget.TotalSeconds:0}s: {string.Join("/", kinds)} of {stack}");
    }
}
