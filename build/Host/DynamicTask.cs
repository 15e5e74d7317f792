namespace RecipeCi.Host;

/// <summary>
/// A task made from data when the graph is built (one per recipe of a sweep), for what task
/// classes cannot express: Cake's graph is static, but which recipes a sweep holds is only known
/// from recipes.yaml. The one addition to Frosting's API in this host; without it, such tasks
/// would be entries printed by a task instead of nodes of the graph.
/// </summary>
public sealed record DynamicTask(string Name, string Description, Func<Task> Run)
{
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public IReadOnlyList<string> DependeeOf { get; init; } = [];
}
