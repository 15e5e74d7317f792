using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>The per-recipe history in the state folder: what the strips of the sweep page and the index draw.</summary>
public sealed class SweepHistoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-history-").FullName;
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static SweepHistoryEntry Entry(int week, Verdict verdict = Verdict.Passed) => new($"w{week}", T0.AddDays(7 * week), verdict, 2, "1.0.0+1");

    [Fact]
    public void A_sweep_appends_its_entry_and_a_later_classification_replaces_that_entry_in_place()
    {
        var history = new SweepHistory("r", []).With(Entry(1)).With(Entry(2, Verdict.Failed)).With(Entry(3));
        Assert.Equal(["w1", "w2", "w3"], history.Sweeps.Select(e => e.SweepId));

        // The re-runs of w2 said flaky after w3 had already been written (another shard's order does not matter): one cell, same place, same date.
        var classified = history.With(Entry(2, Verdict.Failed) with { At = T0.AddYears(1), Classification = Classification.Flaky });
        Assert.Equal(["w1", "w2", "w3"], classified.Sweeps.Select(e => e.SweepId));
        Assert.Equal((Classification.Flaky, T0.AddDays(14)), (classified.Sweeps[1].Classification, classified.Sweeps[1].At));
    }

    [Fact]
    public void The_strip_is_the_newest_twelve_oldest_first()
    {
        var history = Enumerable.Range(1, 15).Aggregate(new SweepHistory("r", []), (h, week) => h.With(Entry(week)));
        Assert.Equal(15, history.Sweeps.Count);   // the file keeps everything; the strip shows the newest
        Assert.Equal(Enumerable.Range(4, 12).Select(w => $"w{w}"), history.Strip().Select(e => e.SweepId));
    }

    [Fact]
    public void The_store_writes_only_the_recipes_own_file_atomically_and_reads_it_back()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        store.RecordInHistory("other", Entry(1));
        var other = File.ReadAllText(store.HistoryPath("other"));

        store.RecordInHistory("r", Entry(1));
        store.RecordInHistory("r", Entry(2, Verdict.RolledBack) with { Classification = Classification.Deterministic });

        Assert.Equal(other, File.ReadAllText(store.HistoryPath("other")));
        var read = store.ReadHistory("r");
        Assert.Equal([("w1", Verdict.Passed, (Classification?)null), ("w2", Verdict.RolledBack, Classification.Deterministic)],
            read.Sweeps.Select(e => (e.SweepId, e.Verdict, e.Classification)));
        Assert.Contains("\"sweep_id\": \"w2\"", File.ReadAllText(store.HistoryPath("r")));
        Assert.Contains("\"verdict\": \"rolled_back\"", File.ReadAllText(store.HistoryPath("r")));
        Assert.Equal(["other.json", "r.json"], Directory.GetFiles(Path.GetDirectoryName(store.HistoryPath("r"))!).Select(Path.GetFileName).Order());
        Assert.Empty(store.ReadHistory("never-swept").Sweeps);
    }

    [Fact]
    public void An_unreadable_history_is_an_error_naming_the_file_and_reports_show_an_empty_strip()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        Directory.CreateDirectory(Path.GetDirectoryName(store.HistoryPath("r"))!);
        File.WriteAllText(store.HistoryPath("r"), "{ not json");
        var ex = Assert.Throws<InvalidDataException>(() => store.RecordInHistory("r", Entry(1)));
        Assert.Contains(store.HistoryPath("r"), ex.Message);
        Assert.Contains("start the recipe's history afresh", ex.Message);
        Assert.Equal("{ not json", File.ReadAllText(store.HistoryPath("r")));   // nothing written over what a person may want to repair
        Assert.Empty(store.TryReadHistory("r").Sweeps);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
