namespace RecipeCi.Swarm;

/// <summary>Why a task did not run, in the terms a maintainer acts on.</summary>
public enum FailureCategory
{
    ImageMissing,
    /// <summary>The container was killed (exit 137): out of memory, or stopped by swarm.</summary>
    Killed,
    OutOfMemory,
    ExitCode,
    HealthcheckFailing,
    NoSuitableNode,
    PortAllocated,
    SecretOrConfigMissing,
    Unknown,
}

/// <summary>A failed (or unschedulable) task: its category and one untruncated line that says why.</summary>
public sealed record TaskFailure(FailureCategory Category, string Text, DateTimeOffset At)
{
    /// <summary>The container's exit code (0 when it has none or exited 0).</summary>
    public int ExitCode { get; init; }

    /// <summary>
    /// Categories that no retry can fix: swarm will keep failing the same way, so one such task is
    /// reason enough to stop waiting.
    /// </summary>
    public bool Hopeless => Category is FailureCategory.ImageMissing or FailureCategory.SecretOrConfigMissing
        or FailureCategory.NoSuitableNode or FailureCategory.PortAllocated;

    public override string ToString() => Text;

    /// <summary>
    /// Classifies a task from swarm's error text, and from its container's state when the
    /// container is still there (swarm reports an unhealthy or OOM-killed container only as an exit).
    /// </summary>
    public static TaskFailure Describe(TaskInfo task, ContainerState? container = null)
    {
        var err = task.Status.Err ?? "";
        var exit = container?.ExitCode is { } c and not 0 ? c : task.Status.ContainerStatus?.ExitCode ?? 0;
        var lastProbe = container?.Health?.Log.LastOrDefault(l => l.ExitCode != 0);
        var category = Classify(err, exit, container);
        var parts = new List<string> { category.Words(), $"task {task.ID[..Math.Min(12, task.ID.Length)]} {task.Status.State}" };
        if (err.Length > 0) parts.Add(err);
        else if (!string.IsNullOrEmpty(task.Status.Message)) parts.Add(task.Status.Message!);
        if (exit != 0) parts.Add($"exit code {exit}{(exit == 137 ? " (killed: out of memory, or stopped by swarm)" : "")}");
        if (category == FailureCategory.HealthcheckFailing && lastProbe is not null)
            parts.Add($"last probe exited {lastProbe.ExitCode}: {lastProbe.Output?.Trim()}");
        return new TaskFailure(category, string.Join(": ", parts), task.Status.Timestamp) { ExitCode = exit };
    }

    internal static FailureCategory Classify(string err, int exit, ContainerState? container)
    {
        bool Has(string s) => err.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("no such image") || Has("pull access denied") || Has("manifest unknown") || Has("image not found")
            || (Has("image") && Has("could not be accessed")))
            return FailureCategory.ImageMissing;
        if (Has("port is already allocated") || Has("address already in use") || Has("port already in use"))
            return FailureCategory.PortAllocated;
        if (Has("no suitable node")) return FailureCategory.NoSuitableNode;
        if ((Has("secret") || Has("config")) && (Has("not found") || Has("no such")))
            return FailureCategory.SecretOrConfigMissing;
        if (container?.OOMKilled == true) return FailureCategory.OutOfMemory;
        // A container that exited by itself is reported unhealthy too; only failed probes make it the healthcheck.
        if (Has("unhealthy") || container?.Health is { Status: "unhealthy", FailingStreak: > 0 }) return FailureCategory.HealthcheckFailing;
        if (exit == 137) return FailureCategory.Killed;
        if (exit != 0 || Has("non-zero exit")) return FailureCategory.ExitCode;
        return FailureCategory.Unknown;
    }
}

public static class FailureCategories
{
    /// <summary>The category as the reasons write it: "exited", "healthcheck failing", ...</summary>
    public static string Words(this FailureCategory c) => c switch
    {
        FailureCategory.ImageMissing => "image missing",
        FailureCategory.Killed => "killed",
        FailureCategory.OutOfMemory => "out of memory",
        FailureCategory.ExitCode => "exited",
        FailureCategory.HealthcheckFailing => "healthcheck failing",
        FailureCategory.NoSuitableNode => "no suitable node",
        FailureCategory.PortAllocated => "port already allocated",
        FailureCategory.SecretOrConfigMissing => "secret or config missing",
        _ => "failed",
    };
}
