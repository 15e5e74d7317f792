using Newtonsoft.Json.Linq;
using RecipeCi.Naming;
using RecipeCi.Results;
using RecipeCi.Swarm;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What a stage saw of the stack: every service's Spec, PreviousSpec and UpdateStatus, every task
/// with its full error; on a non-pass also each service's logs since the deploy (bounded) and the
/// host's memory and disk at that moment.
/// </summary>
public sealed class Forensics(DockerCli docker)
{
    private const int LogBytes = 64 * 1024;

    /// <summary>The files a non-pass leaves, in the order a maintainer reads them.</summary>
    public static readonly string[] Files = ["convergence.json", "tasks.json", "services.json", "logs/", "host-memory.txt", "host-disk.txt"];

    /// <param name="since">When the deploy being judged began: service logs are kept from then on.</param>
    public async Task WriteAsync(StackName stack, StageRecorder stage, IReadOnlyList<string> services, DateTimeOffset since, bool full, CancellationToken ct)
    {
        var live = await docker.StackServicesAsync(stack.Value, ct);
        stage.WriteJson("services.json", live.Select(s => s.Raw));
        var tasks = new JObject();
        foreach (var s in live)
            tasks[s.Name] = new JArray((await docker.TasksAsync(s.Name, upToDate: false, ct)).Select(t => t.Raw));
        stage.WriteJson("tasks.json", tasks);
        if (!full) return;
        stage.Write("host-memory.txt", await docker.HostMemoryAsync(ct));
        stage.Write("host-disk.txt", await docker.HostDiskAsync(ct));
        if (since == DateTimeOffset.MinValue || since > stage.StartedAt) since = stage.StartedAt;
        Directory.CreateDirectory(Path.Combine(stage.Directory, "logs"));
        foreach (var s in services)
        {
            var text = await docker.ServiceLogsAsync(stack.Of(s), since, ct);
            stage.Write(Path.Combine("logs", s + ".log"), text.Length > LogBytes ? "[...truncated...]\n" + text[^LogBytes..] : text);
        }
    }
}
