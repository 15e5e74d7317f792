using RecipeCi.Context;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using RecipeCi.Files;
using RecipeCi.Reaping;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class SweepReportTests
{
    private static RecipeSweepResult Line(string recipe, Verdict verdict, Change change, bool ran = true, bool noVerdict = false, StageId? stoppedAt = null, string[]? failedChecks = null) => new()
    {
        FailedChecks = [.. failedChecks ?? []],
        Recipe = recipe, Tag = "1.0.0+1", Ran = ran, Verdict = verdict, Change = change, NoVerdict = noVerdict, StoppedAt = stoppedAt,
        Level = verdict == Verdict.Passed ? 2 : 1, Reason = verdict == Verdict.Passed ? null : $"AwaitHeadConvergence: <b>{verdict.Word()}</b> | x",
        Cause = verdict == Verdict.Passed ? null : $"upgrade {verdict.Word()}: <b>app</b> | exit 3",
        Rungs = Rungs.All.ToDictionary(n => n, n => verdict == Verdict.Passed ? RungStatus.Pass : RungStatus.Fail),
        Evidence = ran ? $"../../runs/s/{recipe}" : null, Log = ran ? $"logs/{recipe}.log" : null,
        Canonical = new(verdict == Verdict.Passed, verdict == Verdict.Passed ? "written: 1.0.0+1 (L2)" : "not written: the verdict is " + verdict.Word(), null),
    };

    private static readonly JanitorPass CleanPass = new(1, 2, 0, 1, 0, 0, [], 0.4, "../../janitor/20261129-101010.000-42.json");

    private static SweepSummary Summary(params RecipeSweepResult[] lines) => Summary(CleanPass, lines);

    private static SweepSummary Summary(JanitorPass janitor, params RecipeSweepResult[] lines) =>
        new() { SweepId = "s", Shard = "1/1", Parallel = 2, Janitor = janitor, Recipes = [.. lines] };

    [Fact]
    public void The_janitors_pass_before_the_sweep_is_in_the_summary_and_the_headline_and_an_unclean_one_makes_the_exit_code_one()
    {
        var green = Line("a", Verdict.Passed, Change.StillPassing);
        var clean = Summary(green);
        Assert.Equal(0, clean.ExitCode);
        var json = JObject.Parse(JsonConvention.Serialize(clean))["janitor"]!;
        Assert.Equal((1, 2, 0, 1, 0, true, "../../janitor/20261129-101010.000-42.json"),
            ((int)json["reaped"]!, (int)json["held"]!, (int)json["stale_locks_removed"]!, (int)json["reservations_cleared"]!, json["errors"]!.Count(),
                (bool)json["clean"]!, (string?)json["report"]));
        const string line = "Before the sweep: Janitor: reaped 1, held (live) 2, stale lock files removed 0, reservations cleared 1, skipped 0, errors 0; " +
                            "report ../../janitor/20261129-101010.000-42.json.";
        Assert.Contains(line, SweepReportWriter.ToMarkdown(clean));
        Assert.Contains(line, SweepReportWriter.ToHtml(clean));

        // The recipes were tested and are green, but the janitor could not do its work: not hidden, and red.
        var failed = Summary(JanitorPass.Failed(new IOException("/run/lock/recipe-ci: Permission denied"), TimeSpan.FromSeconds(0.2)), green);
        Assert.Equal(1, failed.ExitCode);
        Assert.Empty(failed.Regressions);
        Assert.Contains("errors 1 - NOT CLEAN (the janitor pass failed: IOException: /run/lock/recipe-ci: Permission denied); " +
                        "report none: the pass failed before writing one.", SweepReportWriter.ToMarkdown(failed));
        Assert.Contains("Exit code 1.", SweepReportWriter.ToMarkdown(failed));
        Assert.Equal(1, Summary(CleanPass with { Leaked = 1 }, green).ExitCode);
    }

    [Fact]
    public void A_sweep_ends_on_the_console_with_its_headline_coloured_by_its_exit_code_then_its_page()
    {
        var closing = RunSummary.Closing(Summary(Line("a", Verdict.Passed, Change.StillPassing), Line("b", Verdict.RolledBack, Change.NewlyFailing)), "/a/sweeps/s").ToList();
        Assert.Equal([
            "Sweep s: 2 recipes: 1 passed, 1 rolled_back. Regressed: b. Newly passing: none. Flaky (red in the sweep, passed alone): none. Exit code 1.",
            "Report: /a/sweeps/s/summary.html (summary.json, summary.md and junit.xml beside it)"], closing.Select(l => l.Text));
        Assert.Equal(ConsoleColor.Red, closing[0].Colour);
        Assert.Equal(ConsoleColor.Green, RunSummary.Closing(Summary(Line("a", Verdict.Passed, Change.StillPassing)), "/a/sweeps/s").First().Colour);
    }

    [Fact]
    public void A_janitor_pass_counts_what_its_report_holds()
    {
        var report = new JanitorReport { StartedAt = DateTimeOffset.Parse("2026-11-29T10:00:00Z"), FinishedAt = DateTimeOffset.Parse("2026-11-29T10:00:02.5Z") };
        report.Reaped.Add(new ReapedStack("d1", "s1", "l1", "r1", 1, null, "docker", ["service:s1_app"], [], []));
        report.Reaped.Add(new ReapedStack("d2", "s2", "l2", "r2", 2, null, "docker", [], ["volume:s2_data"], []));
        report.Held.Add(new HeldLock("d3", "l3", DateTimeOffset.UnixEpoch, null));
        report.StaleLocksRemoved.Add("l4");
        report.ReservationsCleared.Add("d5");
        report.Skipped.Add(new SkippedLock("l6", "unreadable"));
        report.Errors.Add("l7: docker failed");

        var pass = report.Pass("../../janitor/x.json");

        Assert.Equal((2, 1, 1, 1, 1, 1, 2.5, "../../janitor/x.json"),
            (pass.Reaped, pass.Held, pass.StaleLocksRemoved, pass.ReservationsCleared, pass.Skipped, pass.Leaked, pass.WallS, pass.Report));
        Assert.Equal(["l7: docker failed"], pass.Errors);
        Assert.Equal(report.Clean, pass.Clean);
        Assert.EndsWith("errors 1, leaked 1 - NOT CLEAN", pass.Line);
        report.Errors.Clear();
        report.Reaped.RemoveAt(1);
        Assert.True(report.Pass("x").Clean);
    }

    [Fact]
    public void Exit_code_is_one_only_when_something_newly_fails_or_got_no_verdict()
    {
        Assert.Equal(0, Summary(Line("a", Verdict.Passed, Change.StillPassing), Line("b", Verdict.Failed, Change.StillFailing), Line("c", Verdict.Skipped, Change.NotRun, ran: false)).ExitCode);
        Assert.Equal(1, Summary(Line("a", Verdict.Passed, Change.StillPassing), Line("b", Verdict.Failed, Change.NewlyFailing)).ExitCode);
        Assert.Equal(1, Summary(Line("a", Verdict.Error, Change.StillFailing, noVerdict: true)).ExitCode);
        var s = Summary(Line("a", Verdict.Passed, Change.NewlyPassing), Line("b", Verdict.RolledBack, Change.NewlyFailing));
        Assert.Equal(["b"], s.Regressions);
        Assert.Equal(["a"], s.NewlyPassing);
    }

    [Fact]
    public void A_run_stopped_by_an_app_it_needs_is_an_error_but_no_regression()
    {
        var dependency = Line("a", Verdict.Error, Change.NewlyFailing, stoppedAt: StageId.Dependencies);
        var own = Line("b", Verdict.Error, Change.NewlyFailing, stoppedAt: StageId.DeployBase);
        var s = Summary(dependency, own);
        Assert.Equal(["b"], s.Regressions);
        Assert.Equal(0, Summary(dependency).ExitCode);
    }

    [Fact]
    public void A_flaky_recipe_is_listed_and_linked_but_is_no_regression_and_a_deterministic_one_is()
    {
        static ConfirmationRun Alone(string recipe, Verdict v) => new(1, v, null, null, v == Verdict.Passed ? 0 : 1, false, 30, $"../../runs/s-confirm1/{recipe}", $"logs/{recipe}.confirm1.log");
        var flaky = Line("f", Verdict.Failed, Change.NewlyFailing).Confirmed(Classification.Flaky, [Alone("f", Verdict.Passed)]);
        var broken = Line("d", Verdict.RolledBack, Change.NewlyFailing).Confirmed(Classification.Deterministic, [Alone("d", Verdict.RolledBack)]);

        Assert.Equal(0, Summary(flaky).ExitCode);
        var s = Summary(flaky, broken);
        Assert.Equal(1, s.ExitCode);
        Assert.Equal(["d"], s.Regressions);
        Assert.Equal(["f"], s.Flaky);
        var md = SweepReportWriter.ToMarkdown(s);
        Assert.Contains("| newly_failing | flaky (passed alone) [re-run 1](../../runs/s-confirm1/f/report.html) |", md);
        Assert.Contains("Flaky (red in the sweep, passed alone): f.", md);
        Assert.Contains("<td class=\"flaky\" title=\"flaky (passed alone)\"><a class=\"log\" href=\"../../runs/s-confirm1/f/report.html\">re-run 1</a>flaky</td>",
            SweepReportWriter.ToHtml(s));
    }

    [Fact]
    public void Markdown_and_html_show_a_line_a_recipe_with_its_rungs_short_cause_and_links_to_its_run_page_and_log()
    {
        var s = Summary(Line("good", Verdict.Passed, Change.FirstPass), Line("bad", Verdict.RolledBack, Change.NewlyFailing), Line("idle", Verdict.Skipped, Change.NotRun, ran: false));
        var md = SweepReportWriter.ToMarkdown(s);
        Assert.Contains("| [good](../../runs/s/good/report.html) ([log](logs/good.log)) | 1.0.0+1 | passed | L2 | pass | pass | pass | pass | pass | first_pass | - |  |  |", md);
        Assert.Contains("| idle | 1.0.0+1 | skipped |", md);
        Assert.Contains("| upgrade rolled_back: <b>app</b> \\| exit 3 |", md);   // a | in a cause does not break the table
        Assert.Contains("3 recipes: 1 passed, 1 rolled_back, 1 skipped. Regressed: bad. Newly passing: none.", md);
        // The whole reason and the canonical note, below the table.
        Assert.Contains("- **bad**: canonical not written: the verdict is rolled_back. AwaitHeadConvergence: <b>rolled_back</b> | x", md);

        var html = SweepReportWriter.ToHtml(s);
        Assert.Contains("<a class=\"log\" href=\"logs/bad.log\">log</a><a href=\"../../runs/s/bad/report.html\">bad</a>", html);
        Assert.Contains("<td class=\"cause\" title=\"AwaitHeadConvergence: &lt;b&gt;rolled_back&lt;/b&gt; | x\">upgrade rolled_back: &lt;b&gt;app&lt;/b&gt; | exit 3</td>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<span class=\"fail\" title=\"upgrade: fail\">U</span>", html);
        Assert.Contains("<td class=\"newly_failing\">newly_failing</td>", html);
        Assert.Contains("<span class=\"count rolled_back\">1 rolled_back</span>", html);
        Assert.Contains("regressed: <strong>bad</strong>", html);
        Assert.Contains("table-layout:fixed", html);
        Assert.Contains("text-overflow:ellipsis", html);
        Assert.Contains("gap: the rung could not run", html);
        Assert.Contains("gap: the rung could not run", md);
        Assert.DoesNotContain("<link", html);     // self-contained: styles inline, nothing fetched
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void A_gap_rung_has_a_colour_of_its_own()
    {
        var html = SweepReportWriter.ToHtml(Summary());
        var css = html[..html.IndexOf("</style>", StringComparison.Ordinal)];
        string Colour(string status) => System.Text.RegularExpressions.Regex.Match(css, $@"\.rungs \.{status}\{{background:(#[0-9a-f]+)\}}").Groups[1].Value;
        string[] statuses = ["pass", "fail", "skip", "unver", "gap"];
        Assert.All(statuses, st => Assert.NotEqual("", Colour(st)));
        Assert.Equal(statuses.Length, statuses.Select(Colour).Distinct().Count());
    }

    [Fact]
    public void Each_line_shows_the_recipes_history_strip_oldest_first_with_its_sweeps_and_dates()
    {
        var t = DateTimeOffset.Parse("2026-11-02T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var line = Line("r", Verdict.Passed, Change.NewlyPassing).WithHistory(new SweepHistory("r",
        [
            new("w1", t, Verdict.Passed, 2, "1.0.0+1"),
            new("w2", t.AddDays(7), Verdict.RolledBack, 1, "1.1.0+2") { Classification = Classification.Deterministic },
            new("w3", t.AddDays(14), Verdict.Failed, 1, "1.1.0+2") { Classification = Classification.Flaky },
            new("w4", t.AddDays(21), Verdict.Error, 0, "1.1.0+2"),
            new("w5", t.AddDays(28), Verdict.Passed, 2, "1.2.0+3"),
        ]));
        var html = SweepReportWriter.ToHtml(Summary(line));
        var strip = html[html.IndexOf("<span class=\"strip\">", StringComparison.Ordinal)..];
        Assert.Equal(["passed", "rolled_back", "flaky", "error", "passed"],
            System.Text.RegularExpressions.Regex.Matches(strip[..strip.IndexOf("</td>", StringComparison.Ordinal)], "<span class=\"([a-z_]+)\" title").Select(m => m.Groups[1].Value));
        Assert.Contains("title=\"w2 2026-11-09 06:00Z: rolled_back (deterministic), L1, 1.1.0+2\"", strip);
        Assert.Contains("| 🟩🟥🟨⬜🟩 |", SweepReportWriter.ToMarkdown(Summary(line)));
        Assert.Contains(HistoryStrip.Css, html);
    }

    [Fact]
    public void Aggregated_junit_holds_each_recipe_suite_and_a_suite_for_skips_and_crashes()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-junit-").FullName;
        try
        {
            var runDir = Path.Combine(dir, "runs", "s", "good");
            Directory.CreateDirectory(runDir);
            File.WriteAllText(Path.Combine(runDir, "junit.xml"),
                "<testsuites><testsuite name=\"recipe-ci.good.recipe\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\"><testcase name=\"A\"/></testsuite></testsuites>");
            var sweepDir = Path.Combine(dir, "sweeps", "s");
            var good = Line("good", Verdict.Passed, Change.FirstPass);
            var s = Summary(good, Line("idle", Verdict.Skipped, Change.NotRun, ran: false), Line("dead", Verdict.Error, Change.NewlyFailing, noVerdict: true));
            var doc = SweepReportWriter.ToJUnit(sweepDir, s);
            var root = doc.Root!;
            Assert.Equal(["recipe-ci.good.recipe", "recipe-ci.idle.sweep", "recipe-ci.dead.sweep"], root.Elements("testsuite").Select(e => (string)e.Attribute("name")!));
            Assert.Equal(("5", "1", "2"), ((string)root.Attribute("tests")!, (string)root.Attribute("errors")!, (string)root.Attribute("skipped")!));
            Assert.NotNull(root.Descendants("error").SingleOrDefault(e => ((string)e.Attribute("message")!).Contains("dead") || e.Value.Contains("logs/dead.log")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
    [Fact]
    public void A_failed_check_no_sweep_ever_saw_pass_on_any_release_is_stale_and_one_that_passed_once_is_not()
    {
        var t = DateTimeOffset.Parse("2026-11-02T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var history = new SweepHistory("r",
        [
            new("w1", t, Verdict.Passed, 2, "1.0.0+1") { PassedChecks = ["home", "old api"] },
            new("w2", t.AddDays(7), Verdict.Failed, 1, "2.0.0+1"),   // written before checks were recorded
            new("w3", t.AddDays(14), Verdict.Failed, 1, "2.0.0+1") { PassedChecks = ["home"] },
        ]);
        Assert.Equal(["new api"], history.NeverPassed(["old api", "new api"]));
        Assert.Empty(history.NeverPassed([]));

        var line = Line("r", Verdict.Failed, Change.StillFailing, failedChecks: ["old api", "new api"]).WithHistory(history);
        Assert.Equal(["new api"], line.StaleChecks);
        var html = SweepReportWriter.ToHtml(Summary(line, Line("g", Verdict.Passed, Change.StillPassing)));
        Assert.Contains("<span class=\"stale\" title=\"stale?: a custom check that failed and never passed in any sweep of the recipe", html);
        Assert.Contains(">stale? new api</span> upgrade failed:", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, ">stale\\? "));
        var md = SweepReportWriter.ToMarkdown(Summary(line));
        Assert.Contains("| stale? new api upgrade failed:", md);
        Assert.Contains("give it from: or until: in checks.yaml", md);
        // No stale check, no mark and no legend.
        Assert.DoesNotContain("stale?", SweepReportWriter.ToMarkdown(Summary(Line("g", Verdict.Passed, Change.StillPassing).WithHistory(history))));
    }
}
