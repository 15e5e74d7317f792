using System.Text.RegularExpressions;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// AwaitBaseHealthy / AwaitHeadHealthy: the app really answers. Asks the health path from inside
/// a running container of the current spec with <c>docker exec</c> (wget, else curl), so no
/// address but the container's own loopback is ever used.
/// </summary>
public static partial class HealthProbe
{
    [GeneratedRegex(@"HTTP/\d(?:\.\d)?\s+(?<code>\d{3})")]
    private static partial Regex StatusLine();

    public static async Task AwaitAsync(RecipeRun run, StageRecorder stage, DeployPhase phase)
    {
        var ct = run.Cancellation;
        var health = run.Entry.Health;
        var service = $"{run.Stack}_{health.Service}";
        var url = $"http://127.0.0.1:{health.Port}{health.Path}";
        var budget = TimeSpan.FromSeconds(run.Entry.Timeouts.Health);
        var started = DateTimeOffset.UtcNow;
        var lastSaid = started;
        string last = "no running container yet";
        var attempts = 0;
        while (DateTimeOffset.UtcNow - started < budget)
        {
            attempts++;
            var container = (await run.Docker.TasksAsync(service, upToDate: true, ct))
                .Where(t => t is { DesiredState: "running", Status.State: "running" })
                .Select(t => t.Status.ContainerStatus?.ContainerID).FirstOrDefault(id => id is not null);
            if (container is not null)
            {
                var code = await AskAsync(run, container, url, ct);
                if (code is { } c && health.Statuses.Contains(c))
                {
                    stage.Log($"{health.Service} answered {url} with {c} (attempt {attempts}, {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0}s)");
                    stage.Write("health.txt", $"url={url}\nstatus={c}\ncontainer={container}\nattempts={attempts}\n");
                    return;
                }
                last = code is null ? "no HTTP answer" : $"HTTP {code}";
            }
            if (DateTimeOffset.UtcNow - lastSaid > TimeSpan.FromSeconds(15))
            {
                lastSaid = DateTimeOffset.UtcNow;
                stage.Log($"waiting for {health.Service} to answer {url}: {last}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        stage.Write("health.txt", $"url={url}\nlast={last}\nattempts={attempts}\naccepted={string.Join(",", health.Statuses)}\n");
        stage.Evidence.Add("health.txt");
        throw new StageFailure(phase == DeployPhase.Base ? StageStatus.BaselineBroken : StageStatus.Failed,
            $"{health.Service} did not answer {health.Path} with {string.Join("/", health.Statuses)} within {budget.TotalSeconds:0}s (last: {last})");
    }

    private static async Task<int?> AskAsync(RecipeRun run, string container, string url, CancellationToken ct)
    {
        // Probes are not journaled one by one: the answer that counts is in health.txt.
        var result = await new Processes.CommandRunner().RunAsync(new Processes.Command("docker", "exec", container, "sh", "-c",
            "wget -S -q -O /dev/null \"$1\" 2>&1 || curl -s -o /dev/null -w 'HTTP/1.1 %{http_code}\\n' \"$1\"", "probe", url)
        { Check = false, Timeout = TimeSpan.FromSeconds(20) }, ct);
        var m = StatusLine().Match(result.Output);
        return m.Success ? int.Parse(m.Groups["code"].Value) : null;
    }
}
