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

    /// <summary>
    /// Removes the stack's services, then kills and removes their containers (<c>docker rm -f</c>,
    /// by the stack's label) until none is left; returns what it removed. Teardown deletes
    /// the stack's data next, so waiting for graceful stops (each container's stop_grace_period,
    /// swarm's own way of removing a service's tasks) would only cost time.
    /// </summary>
    public static async Task<List<string>> KillAsync(DockerCli docker, StackName stack, Action<string> log, CancellationToken ct)
    {
        var removed = new List<string>();
        foreach (var service in await ListedAsync(docker, stack, "service", ct))
            if (await docker.RemoveAsync("service", service, ct) is { } problem) log($"could not remove service {service}: {problem}");
            else removed.Add($"service:{service}");
        var gone = await Poll.UntilAsync(new PollPlan(Interval, TimeSpan.FromMinutes(1)), async () =>
        {
            var containers = await docker.ResourceIdsAsync("container", stack.Value, ct);
            if (containers.Count == 0) return true;
            // One call for all; a container swarm is removing meanwhile may refuse, and is looked at again.
            var r = await docker.RunAsync(["rm", "--force", .. containers], ct, check: false);
            var left = await docker.ResourceIdsAsync("container", stack.Value, ct);
            removed.AddRange(containers.Except(left).Select(c => $"container:{c}"));
            if (!r.Succeeded) log($"docker rm --force left {left.Count} of {containers.Count} containers of {stack}: {r.Output.Trim()}");
            return left.Count == 0;
        }, null, ct);
        if (!gone) log($"still present after 60s: containers of {stack}");
        return removed.Distinct().ToList();
    }

    private static async Task<List<string>> ListedAsync(DockerCli docker, StackName stack, string kind, CancellationToken ct) =>
        (await docker.ResourceIdsAsync(kind, stack.Value, ct)).Concat(await docker.NamesWithPrefixAsync(kind, stack.Of(""), ct)).Distinct().ToList();

    /// <summary>Removes what docker still lists of the stack (its containers killed, see <see cref="KillAsync"/>); returns what it removed.</summary>
    public static async Task<List<string>> SweepAsync(DockerCli docker, StackName stack, Action<string> log, CancellationToken ct)
    {
        var swept = await KillAsync(docker, stack, log, ct);
        foreach (var kind in new[] { "volume", "secret", "config", "network" })
        {
            var items = await ListedAsync(docker, stack, kind, ct);
            foreach (var item in items)
            {
                var problem = await docker.RemoveAsync(kind, item, ct);
                if (problem is null) swept.Add($"{kind}:{item}");
                // Removed meanwhile (abra's undeploy asked swarm to remove networks that were still in use): not a problem.
                else if (!problem.Contains("not found", StringComparison.OrdinalIgnoreCase)) log($"could not remove {kind} {item}: {problem}");
            }
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
