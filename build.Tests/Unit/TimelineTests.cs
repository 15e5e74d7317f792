using System.Xml.Linq;
using RecipeCi.Lifecycle;
using RecipeCi.Naming;
using RecipeCi.Reports;
using RecipeCi.Results;
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
        timeline.Decided("upgrade deploy judged rolled_back", held: false, fixture.Observations[^1].ObservedAt);
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
        Assert.Contains("<strong>ROLLED BACK</strong>, L0", html);
    }

    [Fact]
    public void Bars_and_bands_end_where_the_harness_removed_the_stack_for_a_cold_install()
    {
        var t0 = DateTimeOffset.Parse("2026-11-29T10:00:00Z");
        TimelineEvent At(double s, TimelineKind kind, string lane, string state, string text, string? task = null) =>
            new(t0.AddSeconds(s), kind, lane, state, text) { Task = task, Spec = task is null ? null : "base" };
        var file = new TimelineFile(1, t0,
        [
            At(0, TimelineKind.Action, "harness", "action", "deploy base"),
            At(1, TimelineKind.Task, "app", "running", "app task old1 running (base)", "old1"),
            At(2, TimelineKind.Update, "app", "rollback_completed", "app update rollback completed"),
            At(5, TimelineKind.Action, "harness", TimelineEvent.Removed, "removed the stack for the cold install"),
            At(6, TimelineKind.Action, "harness", "action", "deploy the head"),
            At(10, TimelineKind.Task, "app", "running", "app task new1 running (head)", "new1"),
        ]);
        var html = RunPage.Timeline(file);
        var svg = XElement.Parse(html[..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)]);
        XNamespace ns = "http://www.w3.org/2000/svg";
        static double Num(XElement e, string a) => double.Parse((string)e.Attribute(a)!, System.Globalization.CultureInfo.InvariantCulture);
        var removal = Num(svg.Descendants(ns + "g").Single(g => g.Element(ns + "title")?.Value.StartsWith("removed the stack") == true).Element(ns + "line")!, "x1");
        var rects = svg.Descendants(ns + "rect").ToList();
        double EndOf(string title) => rects.Where(r => r.Element(ns + "title")!.Value.StartsWith(title)).Select(r => Num(r, "x") + Num(r, "width")).Single();
        // Coordinates are written to a tenth: x and width rounded apart.
        Assert.InRange(EndOf("app task old1"), removal - 0.2, removal + 0.2);
        Assert.InRange(EndOf("app update rollback completed"), removal - 0.2, removal + 0.2);
    }

    [Fact]
    public void After_the_harness_removed_the_stack_every_task_runs_the_deploy_since()
    {
        var t0 = DateTimeOffset.Parse("2026-11-29T10:00:00Z");
        var stack = new StackName("cold_ci_local");
        SwarmObservation Look(string task, double s) => new(t0.AddSeconds(s),
            [new ObservedService("svc1", stack.Of("db"), 1, t0)],
            [new TaskInfo { ID = task, ServiceID = "svc1", Status = new RecipeCi.Swarm.TaskStatus { State = TaskState.Running, Timestamp = t0.AddSeconds(s) } }],
            [], new Dictionary<string, ContainerState>());
        var timeline = new RunTimeline();
        timeline.Deploying("head", stack, "deploy the head over the base", t0);
        timeline.Observe(Look("oldtask1", 1));   // not on the current spec: the base's
        timeline.Removed("removed the stack for the cold install", t0.AddSeconds(2));
        timeline.Deploying("head", stack, "deploy the head", t0.AddSeconds(3));
        timeline.Observe(Look("newtask1", 4));   // swarm has not yet counted it on the current spec
        Assert.Equal(["base", "head"], timeline.Events.Where(e => e.Kind == TimelineKind.Task).Select(e => e.Spec));
    }

    [Fact]
    public void The_console_tail_is_relative_to_the_first_deploy()
    {
        var tail = Replay("rollback").Tail(3).ToList();
        Assert.Equal(3, tail.Count);
        Assert.All(tail, line => Assert.Matches(@"^\+\d+\.\ds ", line));
        Assert.EndsWith("upgrade deploy judged rolled_back", tail[^1]);
    }

    [Fact]
    public void Numbers_of_markers_close_in_time_go_on_rows_of_their_own_and_never_overlap()
    {
        Assert.Equal([0, 1, 2, 0, 0], TimelineGeometry.LabelRows([100, 105, 110, 130, 200]));
    }

    [Fact]
    public void A_completed_update_whose_tasks_keep_failing_shows_no_completed_band_past_the_first_failure_and_a_refusal_is_a_marker()
    {
        var t0 = DateTimeOffset.Parse("2026-11-29T10:00:00Z");
        TimelineEvent At(double s, TimelineKind kind, string lane, string state, string text, string? task = null) =>
            new(t0.AddSeconds(s), kind, lane, state, text) { Task = task, Spec = task is null ? null : "head" };
        var layout = TimelineGeometry.Of(new TimelineFile(1, t0,
        [
            At(0, TimelineKind.Action, "harness", "action", "deploy the head"),
            At(1, TimelineKind.Update, "app", "completed", "app update completed"),
            At(2, TimelineKind.Task, "app", "running", "app task t1 running (head)", "t1"),
            At(4, TimelineKind.Task, "app", "failed", "app task t1 failed (head)", "t1"),
            At(5, TimelineKind.Task, "app", "running", "app task t2 running (head)", "t2"),
            At(7, TimelineKind.Task, "app", "failed", "app task t2 failed (head)", "t2"),
            At(9, TimelineKind.Decision, "harness", TimelineEvent.Refused, "the head refused: L022 external-object"),
        ]))!;
        var band = Assert.Single(Assert.Single(layout.Lanes).Bands);
        var firstFailure = layout.Lanes[0].Bars.First(b => b.Event.State == "failed");
        Assert.Equal(firstFailure.X, band.X + band.Width, 1);
        Assert.All(layout.Lanes[0].Bars.Where(b => b.Event.State == "failed"), b => Assert.True(b.Width >= TimelineGeometry.FailedWidth));
        Assert.Equal(MarkerKind.Refusal, layout.Markers[^1].Kind);
        Assert.Contains("refused before deploying", TimelineMarkup.Legend(layout));
        Assert.DoesNotContain("judged bad", TimelineMarkup.Legend(layout));
    }
}
