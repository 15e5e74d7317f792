namespace RecipeCi.Swarm;

/// <summary>Turns a failed task into one line that says why, untruncated.</summary>
public static class TaskFailure
{
    public static string Describe(TaskInfo task)
    {
        var exit = task.Status.ContainerStatus?.ExitCode;
        var parts = new List<string> { $"task {task.ID[..Math.Min(12, task.ID.Length)]} {task.Status.State}" };
        if (!string.IsNullOrEmpty(task.Status.Err)) parts.Add(task.Status.Err!);
        else if (!string.IsNullOrEmpty(task.Status.Message)) parts.Add(task.Status.Message!);
        if (exit is { } code and not 0) parts.Add($"exit code {code}{(code == 137 ? " (killed: OOM or healthcheck kill)" : "")}");
        return string.Join(": ", parts);
    }
}
