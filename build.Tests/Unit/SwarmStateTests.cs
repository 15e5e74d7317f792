using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RecipeCi.Files;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>Docker's task and update states: parsed once into enums, written back in docker's own words.</summary>
public sealed class SwarmStateTests
{
    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetFiles(Path.GetDirectoryName(ObservationFixture.PathOf("any"))!, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order()];

    private static JToken Json(string text) =>
        JsonConvert.DeserializeObject<JToken>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_recorded_fixture_loads_and_writes_back_exactly_as_it_was_recorded(string scenario)
    {
        var recorded = Json(File.ReadAllText(ObservationFixture.PathOf(scenario)))["Observations"]!;
        var rewritten = Json(JsonConvert.SerializeObject(ObservationFixture.Load(scenario).Observations, ObservationFixture.Settings));
        Assert.True(JToken.DeepEquals(recorded, rewritten), $"{scenario} changed on the way through the typed states:\n{rewritten}");
    }

    [Fact]
    public void Docker_words_parse_to_their_states()
    {
        var task = JsonConvert.DeserializeObject<TaskInfo>("""{"DesiredState":"shutdown","Status":{"State":"rejected"}}""")!;
        Assert.Equal((TaskState.Shutdown, TaskState.Rejected), (task.DesiredState.Kind, task.Status.State.Kind));
        var update = JsonConvert.DeserializeObject<UpdateStatus>("""{"State":"rollback_paused"}""")!;
        Assert.Equal(UpdateState.RollbackPaused, update.State?.Kind);
        Assert.Null(JsonConvert.DeserializeObject<UpdateStatus>("""{"Message":"no state"}""")!.State);
    }

    [Fact]
    public void A_state_docker_adds_later_is_unknown_to_the_rules_and_kept_in_docker_s_words()
    {
        var fixture = ObservationFixture.Load("green-update");
        var look = fixture.Observations[^1];
        var novel = look with
        {
            Services = [.. look.Services.Select(s => s with
            {
                UpdateStatus = new UpdateStatus { State = SwarmState<UpdateState>.Parse("rollback_frozen"), StartedAt = s.UpdateStatus?.StartedAt },
            })],
        };

        Assert.Equal(ConvergenceOutcome.Converged, new ConvergenceJudge().Judge(fixture.Request, look).Outcome);
        var judged = new ConvergenceJudge().Judge(fixture.Request, novel);
        Assert.Null(judged.Outcome);                                   // not taken for completed, nor for a rollback
        var app = judged.Services.Single();
        Assert.Equal((UpdateState.Unknown, "rollback_frozen"), (app.UpdateState?.Kind, app.UpdateState?.Text));
        Assert.Contains(", update rollback_frozen", app.Detail);
        Assert.Contains("\"update_state\": \"rollback_frozen\"", JsonConvention.Serialize(new { app.UpdateState }));
        Assert.Contains("\"State\":\"rollback_frozen\"", JsonConvert.SerializeObject(novel.Services.Single()));
    }

    [Fact]
    public void The_convergence_evidence_writes_docker_s_words()
    {
        var fixture = ObservationFixture.Load("rollback");
        var app = new ConvergenceJudge().Judge(fixture.Request, fixture.Observations[^1]).Services.Single();
        Assert.Contains("\"update_state\": \"rollback_started\"", JsonConvention.Serialize(new { app.UpdateState }));
        Assert.StartsWith("swarm rollback started: ", app.Detail);
    }
}
