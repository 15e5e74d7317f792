using RecipeCi.Files;
using RecipeCi.Publishing;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class ArtifactIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-index-").FullName;

    private void Run(string runId, string recipe, Verdict verdict, int level, DateTimeOffset at, string mode = "recipe") =>
        new RunResult { RunId = runId, Recipe = recipe, Mode = mode, Verdict = verdict, Level = level, StartedAt = at }
            .Write(Path.Combine(_dir, "runs", runId, recipe), ArtifactWriter.NoSecrets);

    [Fact]
    public void The_index_lists_each_recipes_newest_run_its_canonical_release_and_a_badge()
    {
        var t = DateTimeOffset.Parse("2026-11-29T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Run("old", "hello", Verdict.Passed, 5, t);
        Run("new", "hello", Verdict.RolledBack, 1, t.AddHours(1));
        Run("one", "other", Verdict.Passed, 3, t);
        var state = Path.Combine(_dir, "state");
        new CanonicalStateStore(state).WriteCanonical(new CanonicalRecord("hello", "0.2.0+1.1", new string('a', 40), "old", 5, t));
        new CanonicalStateStore(state).RecordInHistory("hello", new SweepHistoryEntry("w1", t, Verdict.Passed, 5, "0.2.0+1.1"));
        new CanonicalStateStore(state).RecordInHistory("hello", new SweepHistoryEntry("w2", t.AddDays(7), Verdict.RolledBack, 1, "0.3.0+1.2"));
        // A recipe known only from its history is listed too.
        new CanonicalStateStore(state).RecordInHistory("swept", new SweepHistoryEntry("w2", t.AddDays(7), Verdict.Error, 0, "1.0.0"));

        new ArtifactIndex(_dir, state, ArtifactWriter.NoSecrets).Write(_ => Assert.Fail("nothing should fail"));

        var entries = new ArtifactIndex(_dir, state, ArtifactWriter.NoSecrets).Read();
        Assert.Equal(["hello", "other", "swept"], entries.Select(e => e.Recipe));
        var hello = entries[0];
        Assert.Equal(("new", "0.2.0+1.1"), (hello.Latest?.RunId, hello.Canonical?.Version));
        Assert.Equal(Path.Combine("runs", "new", "hello", RunPage.FileName), hello.LatestPage);
        var html = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.FileName));
        Assert.Contains($"href=\"{hello.LatestPage}\"", html);
        Assert.Contains("0.2.0+1.1 (L5)", html);
        Assert.Contains(HistoryStrip.Html(hello.History), html);
        Assert.Equal(["w1", "w2"], hello.History.Select(h => h.SweepId));
        Assert.Contains("<span class=\"rolled_back\" title=\"w2 2026-12-06 08:00Z: rolled_back, L1, 0.3.0+1.2\"></span>", html);
        var badge = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.BadgeFolder, "hello.svg"));
        Assert.Contains("L1 rolled_back", badge);
        Assert.Contains("L3 passed", File.ReadAllText(Path.Combine(_dir, ArtifactIndex.BadgeFolder, "other.svg")));
    }

    [Theory]
    [InlineData("plan", Verdict.Passed)]
    [InlineData("lint", Verdict.Failed)]
    [InlineData("recipe", Verdict.Error)]   // bad input, or the harness broke: nothing was judged
    public void A_run_that_did_not_judge_the_recipe_leaves_its_index_line_and_badge_alone(string mode, Verdict verdict)
    {
        var t = DateTimeOffset.Parse("2026-11-29T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Run("judged", "hello", Verdict.RolledBack, 1, t);
        Run("later", "hello", verdict, 0, t.AddHours(1), mode);
        var state = Path.Combine(_dir, "state");

        new ArtifactIndex(_dir, state, ArtifactWriter.NoSecrets).Write(_ => Assert.Fail("nothing should fail"));

        Assert.Equal("judged", Assert.Single(new ArtifactIndex(_dir, state, ArtifactWriter.NoSecrets).Read()).Latest?.RunId);
        var html = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.FileName));
        Assert.Contains(Path.Combine("runs", "judged", "hello", RunPage.FileName), html);
        Assert.DoesNotContain("later", html);
        Assert.Contains("2026-11-29 08:00:00 UTC", html);
        Assert.Contains("L1 rolled_back", File.ReadAllText(Path.Combine(_dir, ArtifactIndex.BadgeFolder, "hello.svg")));
    }

    [Fact]
    public void The_index_links_every_sweeps_page_newest_first()
    {
        foreach (var id in new[] { "20261129-080000-aaaa", "20261206-080000-bbbb" })
            ArtifactWriter.NoSecrets.Write(Path.Combine(_dir, ArtifactIndex.SweepsFolder, id, SweepReportWriter.Html), "<p>sweep</p>");

        new ArtifactIndex(_dir, Path.Combine(_dir, "state"), ArtifactWriter.NoSecrets).Write(_ => Assert.Fail("nothing should fail"));

        var html = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.FileName));
        var newer = html.IndexOf("href=\"sweeps/20261206-080000-bbbb/summary.html\"", StringComparison.Ordinal);
        var older = html.IndexOf("href=\"sweeps/20261129-080000-aaaa/summary.html\"", StringComparison.Ordinal);
        Assert.True(newer >= 0 && older > newer, html);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
