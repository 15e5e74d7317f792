using RecipeCi.Naming;

namespace RecipeCi.Swarm;

/// <summary>
/// Services of a stack that its latest compose no longer declares. <c>docker stack deploy</c>
/// (like abra) leaves them running; after the head converged they are removed, as cc-ci did.
/// </summary>
public static class OrphanServices
{
    public static async Task<List<string>> PruneAsync(DockerCli docker, string stack, IReadOnlyCollection<string> declared, CancellationToken ct)
    {
        var keep = declared.Select(new StackName(stack).Of).ToHashSet();
        var orphans = (await docker.StackServicesAsync(stack, ct)).Select(s => s.Name).Where(n => !keep.Contains(n)).ToList();
        if (orphans.Count > 0) await docker.RemoveAsync("service", orphans, ct);
        return orphans;
    }
}
