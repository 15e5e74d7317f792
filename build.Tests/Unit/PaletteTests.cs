using System.Text.RegularExpressions;
using RecipeCi.Files;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>The one palette of the pages: every outcome has its class (its word) and a colour on every page, and red is exactly the failures.</summary>
public sealed class PaletteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-palette-").FullName;

    /// <summary>Every page the harness writes, as HTML: a run page, a sweep page and the artifacts index.</summary>
    private IEnumerable<(string Page, string Html)> Pages()
    {
        yield return (RunPage.FileName, RunPage.Render(new RunResult { Recipe = "r" }, new TimelineFile(1, null, [])));
        yield return (SweepReportWriter.Html, SweepReportWriter.ToHtml(new SweepSummary { SweepId = "s", Janitor = new(0, 0, 0, 0, 0, 0, [], 0, null) }));
        new ArtifactIndex(_dir, Path.Combine(_dir, "state"), ArtifactWriter.NoSecrets).Write(message => Assert.Fail(message));
        yield return (ArtifactIndex.FileName, File.ReadAllText(Path.Combine(_dir, ArtifactIndex.FileName)));
    }

    /// <summary>A stylesheet's declarations by selector, as a page's <c>&lt;style&gt;</c> holds them.</summary>
    private static Dictionary<string, string> Rules(string html) =>
        Regex.Matches(html[html.IndexOf("<style>", StringComparison.Ordinal)..html.IndexOf("</style>", StringComparison.Ordinal)], @"([^{}>]+)\{([^{}]*)\}")
            .SelectMany(rule => rule.Groups[1].Value.Split(',').Select(selector => (Selector: selector, Declaration: rule.Groups[2].Value)))
            .GroupBy(r => r.Selector).ToDictionary(g => g.Key, g => string.Join(";", g.Select(r => r.Declaration)));

    private static IEnumerable<(string Word, Tone Tone, bool Failure)> Outcomes() =>
    [
        .. Enum.GetValues<Verdict>().Select(v => (v.Word(), Palette.Of(v), v.IsFailure())),
        .. Enum.GetValues<StageStatus>().Select(s => (s.Word(), Palette.Of(s), s.IsFailure())),
        .. Enum.GetValues<RungStatus>().Select(s => (s.Word(), Palette.Of(s), s.IsFailure())),
    ];

    [Fact]
    public void Every_verdict_stage_status_rung_status_and_level_has_its_class_and_colour_on_every_page()
    {
        foreach (var (page, html) in Pages())
        {
            var rules = Rules(html);
            foreach (var (word, tone, _) in Outcomes())
            {
                Assert.True(rules.TryGetValue("." + word, out var look), $"{page} has no class .{word}");
                Assert.Equal(Palette.Pale(tone), look);
                Assert.Matches("^(background|color):#[0-9a-f]{6}$", look);
            }
            foreach (var level in Enumerable.Range(0, Rungs.All.Count + 1))
                Assert.Equal("background:" + Palette.Level(level), rules.GetValueOrDefault($".L{level}"));
        }
    }

    [Fact]
    public void The_red_outcomes_are_exactly_the_failures_of_each_enum()
    {
        foreach (var (word, tone, failure) in Outcomes())
            Assert.True((tone == Tone.Fail) == failure, $"{word}: tone {tone}, {(failure ? "a failure" : "no failure")}");
        // The words the enums share (passed, failed, error, ...) look alike wherever they come from.
        Assert.All(Outcomes().GroupBy(o => o.Word), same => Assert.Single(same.Select(o => o.Tone).Distinct()));
    }

    [Fact]
    public void A_history_cell_is_green_passed_grey_error_yellow_flaky_and_red_for_every_other_verdict_as_its_legend_says()
    {
        var rules = Rules($"<style>{HistoryStrip.Css}</style>");
        string Colour(string word) => (rules.GetValueOrDefault($".strip .{word}") ?? rules[".strip span"]).Split(';').Last(d => d.StartsWith("background:"))["background:".Length..];
        foreach (var verdict in Enum.GetValues<Verdict>())
            Assert.Equal(Palette.Strong(verdict switch { Verdict.Passed => Tone.Pass, Verdict.Error => Tone.Error, _ => Tone.Fail }), Colour(verdict.Word()));
        Assert.Equal(Palette.Strong(Tone.Doubt), Colour(Classification.Flaky.Word()));
        foreach (var (tone, what) in new[] { (Tone.Pass, "passed"), (Tone.Fail, "failed (any red verdict)"), (Tone.Doubt, "flaky"), (Tone.Error, "error") })
            Assert.Contains($"{Palette.Name(tone)} {what}", HistoryStrip.Legend);
    }

    [Fact]
    public void A_class_given_two_looks_is_refused()
    {
        var clash = Assert.Throws<InvalidOperationException>(() => Palette.Rules([(".failed", "background:#ffebe9"), (".failed", "background:#dafbe1")]));
        Assert.Contains(".failed", clash.Message);
        Assert.Equal(".passed,.pass{background:#dafbe1}", Palette.Rules([(".passed", "background:#dafbe1"), (".pass", "background:#dafbe1")]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
