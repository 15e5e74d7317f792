using RecipeCi.Swarm;

namespace RecipeCi.Bench;

/// <summary>
/// Decides as docker-stack-wait does: every 5 s, for every service of the stack, an absent
/// UpdateStatus is "deployed"; paused is an error, rollback_* is an error; done when each service
/// is deployed, completed or rollback_completed with its running replicas at target.
/// </summary>
public sealed class StackWaitJudge(TimeProvider time) : IBenchJudge
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public string Name => "docker-stack-wait rules";
    public string Description => "poll every 5 s; empty UpdateStatus = deployed; replicas from docker service ls";

    public async Task<JudgeDecision> ChangeAndJudgeAsync(BenchStack stack, BenchChange change, TimeSpan budget, CancellationToken ct)
    {
        await change.MakeAsync(stack, detach: true, ct);
        var deadline = time.GetUtcNow() + budget;
        while (true)
        {
            var services = await stack.Docker.StackServicesAsync(stack.Name, ct);
            var running = (await stack.Docker.TasksAsync(services.Select(s => s.Name).ToList(), upToDate: false, ct))
                .Where(t => t is { DesiredState: "running", Status.State: "running" }).ToLookup(t => t.ServiceID);
            var verdict = Judge(services, running);
            if (verdict is not null) return new JudgeDecision(verdict.Value.Verdict, time.GetUtcNow(), verdict.Value.Detail);
            if (time.GetUtcNow() + Interval > deadline)
                return new JudgeDecision("timed_out", time.GetUtcNow(), "deadline");
            await Task.Delay(Interval, time, ct);
        }
    }

    private static (string Verdict, string Detail)? Judge(List<ServiceInfo> services, ILookup<string, TaskInfo> running)
    {
        var waiting = false;
        foreach (var s in services)
        {
            var state = s.UpdateStatus?.State ?? "deployed";
            if (state is "paused" or "rollback_paused") return ("failed", $"{s.Name}: {state}");
            if (state.StartsWith("rollback", StringComparison.Ordinal)) return ("rolled_back", $"{s.Name}: {state}");
            var want = s.Spec.Mode.Replicated?.Replicas ?? 1;
            if (state is not ("deployed" or "completed") || running[s.ID].Count() != want) waiting = true;
        }
        return waiting ? null : ("converged", "every service deployed or completed at its replica target");
    }
}
