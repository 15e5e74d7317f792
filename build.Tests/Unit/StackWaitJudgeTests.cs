using Newtonsoft.Json.Linq;
using RecipeCi.Bench;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

/// <summary>The benchmark's docker-stack-wait judge, on services as docker inspects them.</summary>
public sealed class StackWaitJudgeTests
{
    private static ServiceInfo Service(string? updateState)
    {
        var raw = JObject.Parse("""{"ID":"s1","Spec":{"Name":"st_app","Mode":{"Replicated":{"Replicas":1}}}}""");
        if (updateState is not null) raw["UpdateStatus"] = new JObject { ["State"] = updateState };
        return DockerCli.ToService(raw);
    }

    private static (string Verdict, string Detail)? Judge(string? updateState, int running) =>
        StackWaitJudge.Judge([Service(updateState)], Enumerable.Repeat(new TaskInfo { ServiceID = "s1" }, running).ToLookup(t => t.ServiceID));

    [Theory]
    [InlineData("paused", "failed")]
    [InlineData("rollback_paused", "failed")]
    [InlineData("rollback_started", "rolled_back")]
    [InlineData("rollback_completed", "rolled_back")]
    public void A_paused_or_rolled_back_update_decides_at_once(string state, string verdict)
    {
        Assert.Equal((verdict, $"st_app: {state}"), Judge(state, running: 1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("completed")]
    public void Deployed_or_completed_at_the_replica_target_is_converged(string? state)
    {
        Assert.Equal("converged", Judge(state, running: 1)?.Verdict);
        Assert.Null(Judge(state, running: 0));
    }

    [Theory]
    [InlineData("updating")]
    [InlineData("rollback_frozen")]   // a state docker might add: waited on, never taken for done
    public void Any_other_state_is_waited_on(string state)
    {
        Assert.Null(Judge(state, running: 1));
    }
}
