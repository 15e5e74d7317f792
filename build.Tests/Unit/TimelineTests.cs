using System.Xml.Linq;
using RecipeCi.Evidence;
using RecipeCi.Lifecycle;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>The run's timeline and its page, from looks recorded on the real swarm (no docker).</summary>
public sealed class TimelineTests
{
    private static RunTimeline Replay(string scenario)
    {
        var fixture = ObservationFixture.Load(scenario);
        var timeline = new RunTimeline();
        timeline.Deploying("head", new StackName(fixture.Stack), "deploy the head", fixture.Observations[0].ObservedAt);
        foreach (var look in fixture.Observations) timeline.Observe(look);
        timeline.Decided("upgrade deploy judged rolled_back", fixture.Observations[^1].ObservedAt);
        return timeline;
    }

    [Fact]
    public void A_rollback_reads_in_swarms_order_with_each_task_on_the_spec_it_ran()
    {
        var events = Replay("rollback").Events;
        int First(Func<TimelineEvent, bool> what) => events.ToList().FindIndex(e => what(e));
        // Recorded: the head's task started, ended inside the update monitor, and swarm rolled back.
        var headStarting = First(e => e is { Kind: TimelineKind.Task, Spec: "head", State: "starting" });
        var headEnded = First(e => e is { Kind: TimelineKind.Task, Spec: "head", State: "complete" or "failed" });
        var rollbackStarted = First(e => e is { Kind: TimelineKind.Update, State: "rollback_started" });
        var rollbackTask = First(e => e is { Kind: TimelineKind.Task, Spec: "rollback" });
        Assert.True(headStarting >= 0 && headStarting < headEnded && headEnded < rollbackStarted && rollbackStarted <= rollbackTask,
            string.Join("\n", events.Select(e => $"{e.At:HH:mm:ss.fff} {e.Text}")));
        Assert.Equal("app", events.Single(e => e.Kind == TimelineKind.Update && e.State == "rollback_started").Lane);
        Assert.Contains(events, e => e is { Kind: TimelineKind.Task, Spec: "base", State: "running" });
    }

    [Fact]
    public void The_page_draws_a_lane_per_service_bands_bars_and_the_decision()
    {
        var timeline = Replay("rollback");
        var html = RunPage.Render(new RunResult { Recipe = "rb", RunId = "r1", Verdict = Verdicts.Verdict.RolledBack, Reason = "AwaitHeadConvergence: swarm rolled the head back" },
            timeline.File());
        var svg = XElement.Parse(html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)]);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lane = Assert.Single(svg.Elements(ns + "g"), g => (string?)g.Attribute("data-lane") == "app");
        Assert.Contains(lane.Elements(ns + "rect"), r => (string?)r.Attribute("class") == "band" && r.Value.Contains("rollback started"));
        Assert.Contains(lane.Elements(ns + "rect"), r => (string?)r.Attribute("class") == "task" && r.Value.Contains("(head)"));
        Assert.Contains(svg.Elements(ns + "g"), g => ((string?)g.Attribute("class"))?.Contains("decision") == true);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("ROLLED_BACK", html);
    }

    [Fact]
    public void The_console_tail_is_relative_to_the_first_deploy()
    {
        var tail = Replay("rollback").Tail(3).ToList();
        Assert.Equal(3, tail.Count);
        Assert.All(tail, line => Assert.Matches(@"^\+\d+\.\ds ", line));
        Assert.EndsWith("upgrade deploy judged rolled_back", tail[^1]);
    }
}
