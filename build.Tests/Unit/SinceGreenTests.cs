using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>What changed since the recipe's last green run: the decision over two environments, and how the run page and the PR comment say it.</summary>
public sealed class SinceGreenTests
{
    private static readonly RunEnvironment Green = new(new string('a', 40), "24.0.9", "local driver", 4096, 20_000, "/var/lib/docker");

    [Fact]
    public void The_same_environment_differs_in_nothing_and_a_little_less_free_disk_is_the_same_machine()
    {
        Assert.Empty(RunEnvironment.Differences(Green, Green));
        Assert.Empty(RunEnvironment.Differences(Green, Green with { DiskFreeMb = 18_500 }));
    }

    [Fact]
    public void Every_field_that_differs_is_one_line_with_before_and_after()
    {
        var now = new RunEnvironment(new string('b', 40), "26.1.5", "abra version 0.10.0-beta", 2048, 5_000, "/var/lib/docker");
        Assert.Equal(
        [
            "harness commit: aaaaaaaaaaaa → bbbbbbbbbbbb",
            "docker: 24.0.9 → 26.1.5",
            "abra: local driver → abra version 0.10.0-beta",
            "memory: 4096 MB → 2048 MB",
            "free disk under /var/lib/docker: 20000 MB → 5000 MB",
        ], RunEnvironment.Differences(Green, now));
        Assert.Equal(["harness commit: aaaaaaaaaaaa → unknown", "memory: 4096 MB → unknown"],
            RunEnvironment.Differences(Green, Green with { HarnessCommit = "unknown", MemoryTotalMb = null }));
    }

    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-29T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static RunResult Red(SinceGreen? since) => new()
    {
        Recipe = "hello", RunId = "r2", Verdict = Verdict.RolledBack, Reason = "swarm rolled the head back", SinceGreen = since,
    };

    [Fact]
    public void A_red_runs_page_and_comment_say_what_changed_since_the_last_green()
    {
        var since = new SinceGreen("20261129-green", At, ["docker: 24.0.9 → 26.1.5"], ["c0ffee1 Bump app to 2.1 ```<b>"], null);
        var page = RunPage.Render(Red(since), new TimelineFile(1, null, []));
        Assert.Contains("<h2>Since the last green (20261129-green, 2026-11-29)</h2>", page);
        Assert.Contains("environment: docker: 24.0.9 → 26.1.5\nrecipe commits (1):\n  c0ffee1 Bump app to 2.1 ```&lt;b&gt;", page);

        var comment = PrComment.Render(Red(since), false, _ => null);
        Assert.Contains("**What changed since the last green (20261129-green, 2026-11-29):**", comment);
        Assert.Contains("recipe commits (1):\n  c0ffee1 Bump app to 2.1 '''<b>\n```", comment);

        Assert.DoesNotContain("since the last green", PrComment.Render(Red(null), false, _ => null));
        Assert.DoesNotContain("Since the last green", RunPage.Render(Red(null), new TimelineFile(1, null, [])));
    }

    [Fact]
    public void An_older_green_run_without_its_environment_says_not_recorded_and_commits_it_cannot_know_say_why()
    {
        var lines = new SinceGreen("old", At, null, [], "the last green's commit 0123456789ab is not in this clone").Lines().ToList();
        Assert.Equal(["environment: not recorded", "recipe commits: the last green's commit 0123456789ab is not in this clone"], lines);
        Assert.Equal(["environment: the same", "recipe commits: none (the same ref)"], new SinceGreen("g", At, [], [], null).Lines());
        var many = new SinceGreen("g", At, [], [.. Enumerable.Range(0, SinceGreen.MaxCommits).Select(i => $"c{i} change")], null).Lines().ToList();
        Assert.Equal($"recipe commits ({SinceGreen.MaxCommits}, the newest {SinceGreen.MaxCommits}):", many[1]);
    }
    [Fact]
    public void The_canonical_record_keeps_its_runs_environment_and_an_older_record_reads_without_one()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-since-").FullName;
        try
        {
            var store = new State.CanonicalStateStore(dir);
            var record = new State.CanonicalRecord("hello", "1.0.0+1", new string('c', 40), "green", 5, At) { Environment = Green };
            Assert.Equal(Green, store.WriteCanonical(record).Environment);
            File.WriteAllText(store.CanonicalPath("old"), """{"recipe":"old","version":"1.0.0","commit":"abc","run_id":"r","level":5,"at":"2026-11-29T06:00:00Z"}""");
            Assert.Null(store.ReadCanonical("old")!.Environment);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
