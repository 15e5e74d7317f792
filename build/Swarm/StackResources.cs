using RecipeCi.Naming;
using RecipeCi.Processes;

namespace RecipeCi.Swarm;

/// <summary>
/// Everything of a stack on the swarm: services, containers, networks, volumes, secrets and
/// configs, found by the stack's label or its name prefix; removed with docker and waited for.
/// </summary>
public sealed class StackResources(DockerCli docker, StackName stack, TimeProvider time, Action<string> log)
{
    public static readonly string[] Kinds = ["service", "container", "network", "volume", "secret", "config"];
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>Every resource of the stack, by its stack label or its name prefix, as <c>kind:id</c>.</summary>
    public async Task<List<string>> RemainingAsync(CancellationToken ct)
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
    /// Removes the stack's services its latest compose no longer <paramref name="declared"/>:
    /// <c>docker stack deploy</c> (like abra) leaves them running. Returns their names.
    /// </summary>
    public async Task<List<string>> PruneUndeclaredAsync(IReadOnlyCollection<string> declared, CancellationToken ct)
    {
        var keep = declared.Select(stack.Of).ToHashSet();
        var orphans = (await docker.StackServicesAsync(stack.Value, ct)).Select(s => s.Name).Where(n => !keep.Contains(n)).ToList();
        if (orphans.Count > 0) await docker.RemoveAsync("service", orphans, ct);
        return orphans;
    }

    /// <summary>
    /// Removes the stack's services, then kills and removes their containers (<c>docker rm -f</c>,
    /// by the stack's label) until none is left; returns what it removed. Teardown deletes
    /// the stack's data next, so waiting for graceful stops (each container's stop_grace_period,
    /// swarm's own way of removing a service's tasks) would only cost time.
    /// </summary>
    public async Task<List<string>> KillAsync(CancellationToken ct)
    {
        var removed = await RemoveListedAsync("service", ct);
        var gone = await Poll.UntilAsync(new PollPlan(Interval, TimeSpan.FromMinutes(1)), time, async () =>
        {
            var containers = await docker.ResourceIdsAsync("container", stack.Value, ct);
            if (containers.Count == 0) return true;
            // One call for all; a container swarm is removing meanwhile may refuse, and is looked at again.
            var r = await docker.RemoveAsync("container", containers, ct, check: false);
            var left = await docker.ResourceIdsAsync("container", stack.Value, ct);
            removed.AddRange(containers.Except(left).Select(c => $"container:{c}"));
            if (!r.Succeeded) log($"docker rm --force left {left.Count} of {containers.Count} containers of {stack}: {r.Output.Trim()}");
            return left.Count == 0;
        }, null, ct);
        if (!gone) log($"still present after 60s: containers of {stack}");
        return removed.Distinct().ToList();
    }

    /// <summary>
    /// Removes what docker lists of a kind by the stack's label, then what it still lists by the
    /// name prefix (one object is often found both ways), one command each; returns what went.
    /// </summary>
    private async Task<List<string>> RemoveListedAsync(string kind, CancellationToken ct)
    {
        var removed = new List<string>();
        foreach (var list in new Func<Task<List<string>>>[] { () => docker.ResourceIdsAsync(kind, stack.Value, ct), () => docker.NamesWithPrefixAsync(kind, stack.Of(""), ct) })
        {
            var items = await list();
            if (items.Count == 0) continue;
            var r = await docker.RemoveAsync(kind, items, ct, check: false);
            // docker echoes each one it removed, and complains about the others.
            var echoed = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            removed.AddRange(items.Where(echoed.Contains).Select(i => $"{kind}:{i}"));
            // Gone meanwhile (abra or swarm removed it between the listing and now) is not a problem,
            // nor the "exit status 1" docker closes its complaints with.
            foreach (var complaint in r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                         .Where(l => !l.Contains("not found", StringComparison.OrdinalIgnoreCase) && l != "exit status 1"))
                log($"could not remove a {kind} of {stack}: {complaint}");
        }
        return removed;
    }

    /// <summary>Removes what docker still lists of the stack (its containers killed, see <see cref="KillAsync"/>); returns what it removed.</summary>
    public async Task<List<string>> SweepAsync(CancellationToken ct)
    {
        var swept = await KillAsync(ct);
        foreach (var kind in new[] { "volume", "secret", "config", "network" })
            swept.AddRange(await RemoveListedAsync(kind, ct));
        return swept;
    }

    /// <summary>Waits until docker lists nothing of the stack by its label; says what stayed.</summary>
    public async Task WaitGoneAsync(TimeSpan budget, CancellationToken ct)
    {
        var gone = await Poll.UntilAsync(new PollPlan(Interval, budget), time, async () =>
        {
            foreach (var k in Kinds)
                if ((await docker.ResourceIdsAsync(k, stack.Value, ct)).Count > 0) return false;
            return true;
        }, null, ct);
        if (!gone) log($"still present after {budget.TotalSeconds:0}s: {string.Join("/", Kinds)} of {stack}");
    }
}
