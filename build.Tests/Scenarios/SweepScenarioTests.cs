using Newtonsoft.Json.Linq;
using RecipeCi.Locks;
using RecipeCi.Reaping;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>Sweeps of test recipes on the real swarm, each recipe in its own harness process.</summary>
internal static class Sweeping
{
    /// <summary>Two releases; the newest is broken (its app never healthy, so swarm rolls it back) when asked.</summary>
    private static TestRelease[] Releases(bool brokenNewest) =>
    [
        new("1.0.0+1", "1.0.0+1"),
        new("1.1.0+2", "1.1.0+2") { AppHealthy = !brokenNewest, Message = brokenNewest ? "break the healthcheck" : "change" },
    ];

    public static async Task EnrolAsync(Workspace ws, params (string Name, bool BrokenNewest)[] recipes)
    {
        foreach (var (name, broken) in recipes) await ws.AddRecipeAsync(name, TestRecipe.History(Releases(broken)));
    }

    public static Task<HarnessResult> RunAsync(Workspace ws, string sweepId, params string[] extra) =>
        Harness.RunAsync(["--target=Sweep", $"--catalog={ws.Catalog}", $"--artifacts={ws.Artifacts}", $"--lock-dir={ws.LockDir}",
            $"--state-dir={State(ws)}", $"--run-id={sweepId}", "--abra=local", .. extra], timeout: TimeSpan.FromMinutes(12));

    public static string State(Workspace ws) => Path.Combine(ws.Root, "state");
    public static string Folder(Workspace ws, string sweepId) => Path.Combine(ws.Artifacts, "sweeps", sweepId);
    public static SweepSummary Summary(Workspace ws, string sweepId) => SweepSummary.Read(Path.Combine(Folder(ws, sweepId), SweepSummary.FileName));

    /// <summary>The sweep's own Markdown report, for assertion messages: every recipe's verdict and reason.</summary>
    public static string Report(Workspace ws, string sweepId)
    {
        var md = Path.Combine(Folder(ws, sweepId), SweepReportWriter.Markdown);
        return File.Exists(md) ? File.ReadAllText(md) : $"(no {md})";
    }
}

public sealed class SweepReportScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Sweep_of_three_at_parallel_two_with_one_failing_completes_and_reports_each()
    {
        await LocalSwarm.EnsureAsync();
        await Sweeping.EnrolAsync(_ws, ("swa", false), ("swb", true), ("swc", false));

        var run = await Sweeping.RunAsync(_ws, "s1", "--parallel=2");

        Assert.True(run.ExitCode == 1, run.Output);   // swb newly fails: a regression
        // A line when each recipe starts and ends, with the counts; the last to end leaves none running or queued.
        var lines = run.Output.Split('\n');
        Assert.Equal(3, lines.Count(l => l.Contains(": started Recipe at 1.1.0+2", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @": ended \w+ in \d+\.\d s")));
        Assert.Single(lines, l => l.TrimEnd().EndsWith("[done 3, running 0, queued 0]", StringComparison.Ordinal));
        var s = Sweeping.Summary(_ws, "s1");
        var report = Sweeping.Report(_ws, "s1");
        Assert.Equal(["swa", "swb", "swc"], s.Recipes.Select(r => r.Recipe));
        Assert.True(s.Regressions.SequenceEqual(["swb"]), report);
        foreach (var green in s.Recipes.Where(r => r.Recipe != "swb"))
        {
            Assert.True(green.Verdict == Verdict.Passed, report);
            Assert.Equal(("1.1.0+2", Change.FirstPass), (green.Tag, green.Change));
            Assert.True(green.Level >= 2, report);
            Assert.Equal(RungStatus.Pass, green.Rungs[Rung.Upgrade]);
            Assert.True(green.Canonical.Written, green.Canonical.Note);
        }
        var bad = s.Recipes.Single(r => r.Recipe == "swb");
        // Its head does not install cold either, and that install judges the install rung: L0.
        Assert.Equal((Verdict.RolledBack, 0, Change.NewlyFailing, false), (bad.Verdict, bad.Level, bad.Change, bad.Canonical.Written));
        Assert.Contains("swarm rolled the head back", bad.Reason);
        Assert.Equal("not written: the verdict is rolled_back", bad.Canonical.Note);

        // Each recipe ran in its own process and folder, under the sweep's id; at most two at once, and two did overlap.
        var runs = s.Recipes.Select(r => RunResult.Read(Path.Combine(Sweeping.Folder(_ws, "s1"), r.Evidence!, RunResult.FileName))).ToList();
        Assert.All(runs, r => Assert.Equal(("s1", "recipe", true), (r.RunId, r.Mode, r.Teardown!.Clean)));
        Assert.Equal(runs.Select(r => (r.Verdict, r.Level)), s.Recipes.Select(r => (r.Verdict, r.Level)));   // the report is the runs' own word
        Assert.Equal("1.0.0+1", runs[0].BaseVersion);   // the release tag is the head; the upgrade steps back to the one before
        var spans = runs.Select(r => (From: r.StartedAt, To: r.Stages.Max(x => x.StartedAt.AddSeconds(x.DurationS)))).ToList();
        var overlaps = spans.Select(a => spans.Count(b => b.From <= a.From && a.From < b.To)).ToList();
        Assert.Equal(2, overlaps.Max());

        var folder = Sweeping.Folder(_ws, "s1");
        var md = await File.ReadAllTextAsync(Path.Combine(folder, SweepReportWriter.Markdown));
        Assert.Contains("| [swb](../../runs/s1/swb/report.html) ([log](logs/swb.log)) | 1.1.0+2 | rolled_back | L0 | fail | fail |", md);
        Assert.Contains("<a href=\"../../runs/s1/swa/report.html\">swa</a>", await File.ReadAllTextAsync(Path.Combine(folder, SweepReportWriter.Html)));
        Assert.True(File.Exists(Path.Combine(folder, "../../runs/s1/swa/report.html")));
        // The short cause names the rung, the verdict and the service whose tasks failed.
        Assert.StartsWith("upgrade rolled back: app ", bad.Cause);
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(folder, JUnitWriter.FileName)).Root!;
        // The three recipes' suites, and swb's isolation re-run, red again alone (deterministic). swb fails
        // twice in its own suite: the rolled-back upgrade, and the head's cold install (it never gets healthy).
        Assert.Equal(4, junit.Elements("testsuite").Count());
        Assert.Equal("3", (string?)junit.Attribute("failures"));
        Assert.Equal(Classification.Deterministic, bad.Classification);
        Assert.True(File.Exists(Path.Combine(folder, "logs", "swb.log")));
        foreach (var r in runs) Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}

public sealed class CanonicalStateScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Canonical_is_written_only_on_green_and_the_next_sweep_skips_an_unchanged_recipe()
    {
        await LocalSwarm.EnsureAsync();
        await Sweeping.EnrolAsync(_ws, ("cga", false), ("cgb", true));
        var store = new CanonicalStateStore(Sweeping.State(_ws));

        var first = await Sweeping.RunAsync(_ws, "c1", "--parallel=2");
        Assert.True(first.ExitCode == 1, first.Output);
        var canonical = store.ReadCanonical("cga");
        Assert.True(canonical is not null, Sweeping.Report(_ws, "c1"));
        Assert.Equal(("1.1.0+2", "c1"), (canonical!.Version, canonical.RunId));
        Assert.Equal(Sweeping.Summary(_ws, "c1").Recipes.Single(r => r.Recipe == "cga").Level, canonical.Level);
        Assert.Equal(await _ws.GitAsync(Path.Combine(_ws.Root, "repos", "cga"), "rev-parse", "1.1.0+2^{commit}"), canonical.Commit);
        Assert.Null(store.ReadCanonical("cgb"));
        Assert.Equal(canonical, Sweeping.Summary(_ws, "c1").Recipes.Single(r => r.Recipe == "cga").Canonical.OnDisk);

        // Nothing new released: cga is skipped, cgb (never green) runs again and still fails, which is not a regression.
        var second = await Sweeping.RunAsync(_ws, "c2", "--parallel=2");
        Assert.True(second.ExitCode == 0, Sweeping.Report(_ws, "c2"));
        var s2 = Sweeping.Summary(_ws, "c2");
        var skipped = s2.Recipes.Single(r => r.Recipe == "cga");
        Assert.Equal((Verdict.Skipped, false, Change.NotRun), (skipped.Verdict, skipped.Ran, skipped.Change));
        Assert.StartsWith(SweepDecision.NoNewVersion, skipped.Reason);
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "runs", "c2", "cga")));
        Assert.Equal((Verdict.RolledBack, Change.StillFailing), s2.Recipes.Single(r => r.Recipe == "cgb") is var b ? (b.Verdict, b.Change) : default);
        Assert.Equal(canonical, store.ReadCanonical("cga"));

        // --force runs it anyway; a green run rewrites its canonical record.
        var forced = await Sweeping.RunAsync(_ws, "c3", "--force", "--recipes=cga");
        Assert.True(forced.ExitCode == 0, Sweeping.Report(_ws, "c3"));
        var s3 = Sweeping.Summary(_ws, "c3");
        Assert.Equal(["cga"], s3.Recipes.Select(r => r.Recipe));
        Assert.Equal((Verdict.Passed, Change.StillPassing, true), (s3.Recipes[0].Verdict, s3.Recipes[0].Change, s3.Recipes[0].Canonical.Written));
        Assert.Equal("c3", store.ReadCanonical("cga")!.RunId);
    }

    public void Dispose() => _ws.Dispose();
}

public sealed class IsolationReRunScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Red_recipes_are_re_run_alone_and_classified_deterministic_or_flaky_with_both_runs_linked()
    {
        await LocalSwarm.EnsureAsync();
        await Sweeping.EnrolAsync(_ws, ("swdet", true), ("swflk", false));
        // A trusted custom check that fails on its first call and passes after: red in the sweep, green alone.
        var checks = Path.Combine(_ws.Root, "tests", "swflk");
        Directory.CreateDirectory(checks);
        var script = Path.Combine(checks, "second-call-passes.sh");
        var counter = Path.Combine(_ws.Root, "swflk-calls");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho x >> '{counter}'\ntest \"$(wc -l < '{counter}')\" -gt 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await Sweeping.RunAsync(_ws, "i1", "--parallel=2");

        var s = Sweeping.Summary(_ws, "i1");
        var report = Sweeping.Report(_ws, "i1");
        Assert.True(run.ExitCode == 1, run.Output);   // swdet newly fails and fails alone: a breakage
        var det = s.Recipes.Single(r => r.Recipe == "swdet");
        var flk = s.Recipes.Single(r => r.Recipe == "swflk");
        Assert.True(det.Classification == Classification.Deterministic, report);
        Assert.True(flk.Classification == Classification.Flaky, report);
        Assert.Equal(["swdet"], s.Regressions);
        Assert.Equal(["swflk"], s.Flaky);
        Assert.Equal((Verdict.Failed, (StageId?)StageId.CustomChecks), (flk.Verdict, flk.StoppedAt));
        Assert.Equal(Verdict.RolledBack, det.Verdict);

        // Both runs kept, each in its own folder, and linked from the summary.
        var folder = Sweeping.Folder(_ws, "i1");
        foreach (var (line, alone) in new[] { (det, Verdict.RolledBack), (flk, Verdict.Passed) })
        {
            var rerun = Assert.Single(line.Confirmations);
            Assert.Equal((1, alone), (rerun.Attempt, rerun.Verdict));
            Assert.Equal($"../../runs/i1-confirm1/{line.Recipe}", rerun.Evidence);
            var first = RunResult.Read(Path.Combine(folder, line.Evidence!, RunResult.FileName));
            var second = RunResult.Read(Path.Combine(folder, rerun.Evidence!, RunResult.FileName));
            Assert.Equal(("i1", "i1-confirm1", first.Ref), (first.RunId, second.RunId, second.Ref));
            Assert.True(File.Exists(Path.Combine(folder, rerun.Log!)));
        }
        Assert.Equal(det.StoppedAt, det.Confirmations[0].StoppedAt);
        // Alone means alone: the re-runs started after every run of the parallel phase had ended, one after another.
        var runs = s.Recipes.Select(r => RunResult.Read(Path.Combine(folder, r.Evidence!, RunResult.FileName))).ToList();
        var reruns = s.Recipes.Select(r => RunResult.Read(Path.Combine(folder, r.Confirmations[0].Evidence!, RunResult.FileName))).OrderBy(r => r.StartedAt).ToList();
        Assert.All(reruns, r => Assert.True(r.StartedAt >= runs.Max(x => x.FinishedAt!.Value), "a re-run started while a sweep run was still going"));
        Assert.True(reruns[1].StartedAt >= reruns[0].FinishedAt!.Value, "the re-runs overlapped");

        Assert.Contains("deterministic (rolled_back alone)", report);
        Assert.Contains("flaky (passed alone) [re-run 1](../../runs/i1-confirm1/swflk/report.html)", report);
        Assert.Contains("Flaky (red in the sweep, passed alone): swflk", run.Output);
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(folder, JUnitWriter.FileName)).Root!;
        var isolation = junit.Elements("testsuite").Where(e => ((string)e.Attribute("name")!).EndsWith(".isolation", StringComparison.Ordinal)).ToList();
        Assert.Equal([("recipe-ci.swdet.isolation", "1"), ("recipe-ci.swflk.isolation", "0")],
            isolation.Select(e => ((string)e.Attribute("name")!, (string)e.Attribute("failures")!)));
        Assert.Equal("flaky", (string?)isolation[1].Descendants("property").Single().Attribute("value"));
    }

    public void Dispose() => _ws.Dispose();
}

public sealed class HistoryScenarioTests(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>The background colours of a recipe's history cells, as chromium paints them on a sweep page or the index.</summary>
    private async Task<string[]> StripColoursAsync(string page, string recipe)
    {
        await using var browser = await chromium.OpenAsync(page);
        await browser.AssertFitsTheScreenAsync();
        return await browser.EvaluateAsync<string[]>(
            $"[...[...document.querySelectorAll('tr')].find(r => r.cells[0].textContent.endsWith('{recipe}')).querySelectorAll('.strip span')]" +
            ".map(s => getComputedStyle(s).backgroundColor)");
    }

    [Fact]
    public async Task Three_sweeps_over_two_recipes_draw_each_history_strip_and_a_shard_writes_only_its_own_recipes_history()
    {
        await LocalSwarm.EnsureAsync();
        // One release each, so a run installs and checks it (no upgrade to wait for); histb's trusted check fails while the flag is there.
        foreach (var name in new[] { "hista", "histb" }) await _ws.AddRecipeAsync(name, TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1")));
        var flag = Path.Combine(_ws.Root, "histb-broken");
        await _ws.WriteScriptAsync(Path.Combine("tests", "histb", "not-flagged.sh"), $"#!/bin/sh\ntest ! -e '{flag}'\n");
        var store = new CanonicalStateStore(Sweeping.State(_ws));
        async Task<HarnessResult> SweepAsync(string id, int expectedExit, params string[] extra)
        {
            var run = await Sweeping.RunAsync(_ws, id, ["--parallel=2", "--force", .. extra]);
            Assert.True(run.ExitCode == expectedExit, run.Output);
            return run;
        }

        await SweepAsync("h1", 0);
        await File.WriteAllTextAsync(flag, "");
        await SweepAsync("h2", 1);   // histb newly fails, and fails alone too
        File.Delete(flag);
        // h3 on two runners with their own artifacts, sharing the state folder: shard 1 holds hista, shard 2 histb.
        var histb = await File.ReadAllTextAsync(store.HistoryPath("histb"));
        await SweepAsync("h3", 0, "--shard=1/2", $"--artifacts={Path.Combine(_ws.Root, "runner1")}");
        Assert.Equal(histb, await File.ReadAllTextAsync(store.HistoryPath("histb")));
        var hista = await File.ReadAllTextAsync(store.HistoryPath("hista"));
        await SweepAsync("h3", 0, "--shard=2/2", $"--artifacts={Path.Combine(_ws.Root, "runner2")}");
        Assert.Equal(hista, await File.ReadAllTextAsync(store.HistoryPath("hista")));

        Assert.Equal([("h1", Verdict.Passed, (Classification?)null), ("h2", Verdict.Failed, Classification.Deterministic), ("h3", Verdict.Passed, null)],
            store.ReadHistory("histb").Sweeps.Select(e => (e.SweepId, e.Verdict, e.Classification)));
        Assert.Equal(["h1", "h2", "h3"], store.ReadHistory("hista").Sweeps.Where(e => e.Verdict == Verdict.Passed).Select(e => e.SweepId));

        // The strip as the browser paints it: green, red, green for histb; green three times for hista, on its shard's page and on the index.
        const string green = "rgb(63, 185, 80)", red = "rgb(229, 83, 75)";
        var shard2 = Path.Combine(_ws.Root, "runner2", "sweeps", "h3");
        Assert.Equal([green, red, green], await StripColoursAsync(Path.Combine(shard2, SweepReportWriter.Html), "histb"));
        Assert.Equal([green, green, green], await StripColoursAsync(Path.Combine(_ws.Root, "runner1", "sweeps", "h3", SweepReportWriter.Html), "hista"));
        Assert.Equal([green, red, green], await StripColoursAsync(Path.Combine(_ws.Root, "runner2", ArtifactIndex.FileName), "histb"));
        Assert.Contains("| 🟩🟥🟩 |", await File.ReadAllTextAsync(Path.Combine(shard2, SweepReportWriter.Markdown)));
        Assert.StartsWith("custom failed: 1 of 1 custom checks failed: not-flagged", Sweeping.Summary(_ws, "h2").Recipes.Single(r => r.Recipe == "histb").Cause);
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>The sweep's matrix in Cake's own views, and bad input, without deploying anything.</summary>
public sealed class SweepMatrixTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Tree_shows_one_task_per_recipe_of_the_shard()
    {
        await File.WriteAllTextAsync(_ws.Catalog, "recipes:\n  alpha: {repository: /a}\n  beta: {repository: /b}\n  gamma: {repository: /c}\n");
        var tree = await Harness.RunAsync(["--target=Sweep", "--tree", $"--catalog={_ws.Catalog}", "--shard=1/2"]);
        Assert.True(tree.ExitCode == 0, tree.Output);
        Assert.Contains("Sweep:alpha", tree.Output);
        Assert.Contains("Sweep:gamma", tree.Output);
        Assert.DoesNotContain("Sweep:beta", tree.Output);
        var dry = await Harness.RunAsync(["--target=Sweep", "--dryrun", $"--catalog={_ws.Catalog}", "--recipes=beta"]);
        Assert.Contains("Sweep:beta", dry.Output);
        Assert.DoesNotContain("Sweep:alpha", dry.Output);
    }

    [Fact]
    public async Task Empty_enrolment_is_an_error_never_a_green_sweep()
    {
        await File.WriteAllTextAsync(_ws.Catalog, "recipes: {}\n");
        var run = await Harness.RunAsync(["--target=Sweep", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("enrols nothing, and a sweep of nothing is not a green sweep", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_ws.Artifacts, "sweeps")));
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>Every sweep starts with a janitor pass over its lock folder: what dead runs left goes, live runs stay, summary.json says so.</summary>
public sealed class SweepJanitorScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_sweep_first_reaps_the_stack_of_a_dead_run_and_leaves_a_live_one_alone()
    {
        await LocalSwarm.EnsureAsync();
        var suffix = Scenario.UniqueSuffix();
        await using var live = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        await using var dead = await LiveRunStandIn.StartAsync(_ws, Scenario.StandInDomain(suffix));
        dead.Die();
        // Never released, so the sweep deploys nothing itself: all it does to the swarm is its janitor's.
        await _ws.AddRecipeAsync("hkjan", TestRecipe.History(new TestRelease("0.1.0")));

        var run = await Sweeping.RunAsync(_ws, "hk1");

        Assert.True(run.ExitCode == 0, run.Output);
        var summary = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(Sweeping.Folder(_ws, "hk1"), SweepSummary.FileName)));
        var janitor = summary["janitor"];
        Assert.True(janitor is not null, summary.ToString());
        Assert.Equal((1, 1, 0, true), ((int)janitor["reaped"]!, (int)janitor["held"]!, janitor["errors"]!.Count(), (bool)janitor["clean"]!));
        var report = JanitorReport.Read(Path.Combine(Sweeping.Folder(_ws, "hk1"), (string)janitor["report"]!));
        Assert.Equal(dead.Stack, Assert.Single(report.Reaped).Stack);
        Assert.Empty(await Workspace.LeftoversAsync(dead.Stack));
        Assert.False(File.Exists(AppDomainLock.PathFor(_ws.LockDir, dead.Domain)));

        Assert.Equal(live.Domain, Assert.Single(report.Held).Domain);
        Assert.Contains($"config:{live.Stack}_settings", await Workspace.LeftoversAsync(live.Stack));
        Assert.Equal("skipped", (string?)summary["recipes"]![0]!["verdict"]);
    }

    public void Dispose() => _ws.Dispose();
}

/// <summary>A PR's run after a sweep rewrites the artifact index from the same state folder, so the index keeps what the sweeps found.</summary>
public sealed class IndexStateScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_run_given_the_sweeps_state_folder_keeps_the_index_canonical_and_history_columns()
    {
        await _ws.AddRecipeAsync("ixst", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1")));
        var state = new CanonicalStateStore(Path.Combine(_ws.Root, "sweep-state"));
        state.WriteCanonical(new CanonicalRecord("ixst", "1.0.0+1", "abc123", "sweep-1", 5, DateTimeOffset.UtcNow));
        state.RecordInHistory("ixst", new SweepHistoryEntry("sweep-ixst-7", DateTimeOffset.UtcNow, Verdict.Passed, 5, "1.0.0+1"));

        // The Lint target rewrites the index as a !testme run does, and never touches the swarm.
        var run = await _ws.RunAsync("Lint", "ixst", $"--state-dir={state.Directory}");

        Assert.True(run.ExitCode is 0 or 1, run.Output);
        var index = await File.ReadAllTextAsync(Path.Combine(_ws.Artifacts, ArtifactIndex.FileName));
        Assert.Contains("1.0.0+1 (L5)", index);
        Assert.Contains("sweep-ixst-7", index);
    }

    public void Dispose() => _ws.Dispose();
}
