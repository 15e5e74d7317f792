namespace RecipeCi.Swarm;

/// <summary>
/// The stack's services as they were just before a deploy. Convergence is judged against it: an
/// UpdateStatus that was already there belongs to an earlier update and says nothing about ours.
/// </summary>
public sealed class StackSnapshot(IReadOnlyDictionary<string, ServiceInfo> services, DateTimeOffset takenAt)
{
    public IReadOnlyDictionary<string, ServiceInfo> Services { get; } = services;
    public DateTimeOffset TakenAt { get; } = takenAt;

    public static readonly StackSnapshot Empty = new(new Dictionary<string, ServiceInfo>(), DateTimeOffset.MinValue);

    public static async Task<StackSnapshot> CaptureAsync(DockerCli docker, string stack, TimeProvider time, CancellationToken ct)
    {
        var taken = time.GetUtcNow();
        var services = await docker.StackServicesAsync(stack, ct);
        return new StackSnapshot(services.ToDictionary(s => s.Name), taken);
    }
}
