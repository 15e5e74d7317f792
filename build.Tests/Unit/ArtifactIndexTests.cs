using RecipeCi.Evidence;
using RecipeCi.Publishing;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class ArtifactIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-index-").FullName;

    private void Run(string runId, string recipe, Verdict verdict, int level, DateTimeOffset at) =>
        new RunResult { RunId = runId, Recipe = recipe, Verdict = verdict, Level = level, StartedAt = at }
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

        ArtifactIndex.Write(_dir, state, _ => Assert.Fail("nothing should fail"));

        var entries = ArtifactIndex.Read(_dir, state);
        Assert.Equal(["hello", "other"], entries.Select(e => e.Recipe));
        var hello = entries[0];
        Assert.Equal(("new", "0.2.0+1.1"), (hello.Latest?.RunId, hello.Canonical?.Version));
        Assert.Equal(Path.Combine("runs", "new", "hello", RunPage.FileName), hello.LatestPage);
        var html = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.FileName));
        Assert.Contains($"href=\"{hello.LatestPage}\"", html);
        Assert.Contains("0.2.0+1.1 (L5)", html);
        var badge = File.ReadAllText(Path.Combine(_dir, ArtifactIndex.BadgeFolder, "hello.svg"));
        Assert.Contains("L1 rolled_back", badge);
        Assert.Contains("L3 passed", File.ReadAllText(Path.Combine(_dir, ArtifactIndex.BadgeFolder, "other.svg")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
