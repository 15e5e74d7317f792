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
                .Where(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running }).ToLookup(t => t.ServiceID);
            var verdict = Judge(services, running);
            if (verdict is not null) return new JudgeDecision(verdict.Value.Verdict, time.GetUtcNow(), verdict.Value.Detail);
            if (time.GetUtcNow() + Interval > deadline)
                return new JudgeDecision("timed_out", time.GetUtcNow(), "deadline");
            await Task.Delay(Interval, time, ct);
        }
    }

    internal static (string Verdict, string Detail)? Judge(List<ServiceInfo> services, ILookup<string, TaskInfo> running)
    {
        var waiting = false;
        foreach (var s in services)
        {
            // No UpdateStatus is "deployed" to docker-stack-wait.
            var state = s.UpdateStatus?.State;
            if (state?.Kind is UpdateState.Paused or UpdateState.RollbackPaused) return ("failed", $"{s.Name}: {state}");
            if (state?.Kind.IsRollback() == true) return ("rolled_back", $"{s.Name}: {state}");
            var want = s.Spec.Mode.Replicated?.Replicas ?? 1;
            if (state is { Kind: not UpdateState.Completed } || running[s.ID].Count() != want) waiting = true;
        }
        return waiting ? null : ("converged", "every service deployed or completed at its replica target");
    }
}
