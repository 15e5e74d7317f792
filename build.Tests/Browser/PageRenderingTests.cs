using RecipeCi.Files;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Sweeps;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Browser;

/// <summary>
/// The run page, the index and the sweep page as a browser lays them out: Debian's headless chromium at a
/// 1366 px laptop screen and a 390 px phone. Nothing may stick out sideways, nothing may log an error, and what the
/// page promises (the timeline's lanes and markers, a line a recipe) must be on the screen.
/// </summary>
public sealed class PageRenderingTests(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-pages-").FullName;

    private async Task<PageInspector> OpenAsync(string name, string html, int width = PageInspector.Width)
    {
        var file = Path.Combine(_dir, width + "-" + name);
        await File.WriteAllTextAsync(file, html);
        return await chromium.OpenAsync(file, width);
    }

    private static string RolledBackPage()
    {
        // Recorded from a real rolled-back upgrade (a test recipe whose head exits 3), drawn by today's RunPage.
        var recorded = Path.Combine(RepoRoot.Path, "build.Tests", "Fixtures", "RunPages", "rolled-back");
        return RunPage.Render(RunResult.Read(Path.Combine(recorded, RunResult.FileName)),
            JsonConvention.Read<TimelineFile>(Path.Combine(recorded, TimelineFile.FileName)));
    }

    [Theory]
    [InlineData(PageInspector.Width)]
    [InlineData(PageInspector.Phone)]
    public async Task The_run_page_of_a_rolled_back_upgrade_reads_in_one_line_and_shows_its_lanes_bands_and_markers_on_a_laptop_and_a_phone(int width)
    {
        await using var page = await OpenAsync(RunPage.FileName, RolledBackPage(), width);
        if (Environment.GetEnvironmentVariable(PicturesVariable) is { Length: > 0 } docs && width == PageInspector.Width)
            await page.ScreenshotAsync(Path.Combine(RepoRoot.Path, docs, "report-rolled-back.png"));

        await page.AssertFitsTheScreenAsync();
        // The headline: verdict, level and the sweep's short cause, on one line.
        Assert.Equal("ROLLED BACK, L1 — upgrade rolled back: app exit 3", await page.EvaluateAsync<string>("document.querySelector('.headline').textContent"));
        Assert.Equal(new[] { 1, 0 }, await page.EvaluateAsync<int[]>(
            "(() => { const h = document.querySelector('.headline'), r = document.createRange(); r.selectNodeContents(h); " +
            "return [new Set([...r.getClientRects()].map(x => Math.round(x.top))).size, h.scrollWidth - h.clientWidth]; })()"));   // one line, nothing cut off
        // Under it: the stage, the service, the task's error once, and links to the forensics and the log.
        var cause = await page.EvaluateAsync<string>("document.querySelector('.cause').textContent");
        Assert.Contains("stopped at AwaitHeadConvergence, service app", cause);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(cause, System.Text.RegularExpressions.Regex.Escape("non-zero exit (3)")));
        Assert.Contains("UTC", cause);
        var links = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.cause a')].map(a => a.getAttribute('href'))");
        Assert.Equal(["08-AwaitHeadConvergence/", .. new[] { "convergence.json", "tasks.json", "services.json", "logs/", "host-memory.txt", "host-disk.txt", "console.log" }
            .Select(f => "08-AwaitHeadConvergence/" + f), RunPage.IndexLink], links);
        Assert.DoesNotContain("the timeline: report.html", await page.EvaluateAsync<string>("document.body.textContent"));

        Assert.Equal(["app", "db"], await page.EvaluateAsync<string[]>("[...document.querySelectorAll('svg g.lane')].map(g => g.dataset.lane)"));
        // Drawn, not just present: every lane's task bars, the rollback band and the markers have a size on the screen.
        var drawn = await page.EvaluateAsync<bool[]>(
            "[...document.querySelectorAll('svg g.lane')].map(g => [...g.querySelectorAll('rect.task')].some(r => r.getBoundingClientRect().width > 0))");
        Assert.Equal([true, true], drawn);
        Assert.True(await page.EvaluateAsync<bool>(
            "[...document.querySelectorAll('svg rect.band')].some(r => r.textContent.includes('rollback') && r.getBoundingClientRect().width > 0)"));
        // Markers coloured by what they say: the converged base is not the red of the rolled-back head.
        Assert.Equal(1, await page.CountAsync("svg g.marker.held"));
        Assert.Equal(1, await page.CountAsync("svg g.marker.not_held"));
        Assert.NotEqual(await page.EvaluateAsync<string>("document.querySelector('svg g.marker.held text').getAttribute('fill')"),
            await page.EvaluateAsync<string>("document.querySelector('svg g.marker.not_held text').getAttribute('fill')"));
        Assert.True(await page.CountAsync("svg g.marker.action") >= 2);   // deploy base, deploy head
        Assert.True(await page.EvaluateAsync<bool>(
            "(() => { const svg = document.querySelector('svg').getBoundingClientRect(); " +
            "return [...document.querySelectorAll('svg g.marker')].every(m => { const b = m.getBoundingClientRect(); return b.height > 0 && b.left >= svg.left && b.right <= svg.right; }); })()"));
        // No two markers' numbers overlap, however close in time.
        var overlaps = await page.EvaluateAsync<string[]>("""
            (() => { const t = [...document.querySelectorAll('svg g.marker text')], out = [];
              t.forEach((a, i) => t.slice(i + 1).forEach(b => { const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
                if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) out.push(a.textContent + '/' + b.textContent); }));
              return out; })()
            """);
        Assert.True(overlaps.Length == 0, "markers' numbers overlap: " + string.Join(", ", overlaps));
        Assert.Equal(await page.CountAsync("svg g.marker"), await page.CountAsync(".legend ol li"));
        // The legend names only the states the timeline draws.
        foreach (var kind in new[] { "task", "band" })
        {
            var drawnStates = await page.EvaluateAsync<string[]>($"[...new Set([...document.querySelectorAll('svg rect.{kind}')].map(r => r.dataset.state))].sort()");
            var legendStates = await page.EvaluateAsync<string[]>(
                $"[...document.querySelectorAll('.legend span[data-kind=\"{(kind == "band" ? "update" : kind)}\"]')].map(s => s.dataset.state).sort()");
            Assert.Equal(drawnStates, legendStates);
        }
    }

    /// <summary>Set to a folder (the repository's <c>docs/</c>; a relative one is taken from the repository's root, not the test's output folder) to write the README's pictures of the pages there.</summary>
    private const string PicturesVariable = "RECIPE_CI_PICTURES";

    [Fact]
    public async Task The_run_page_shows_a_browser_checks_screenshots_as_thumbnails_under_its_stage_each_linking_the_full_png()
    {
        // The product's own screenshot of the sample's admin page, at both paths the check kept.
        foreach (var shot in ScreenshotRun.Shots)
        {
            var path = Path.Combine(_dir, ScreenshotRun.Stage, shot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(Path.Combine(RepoRoot.Path, "docs", "browser-logged-in.png"), path);
        }
        var run = ScreenshotRun.Of(new RunResult { RunId = "r1", Recipe = "hello", Verdict = Verdict.Failed, Level = 1 });
        await using var page = await OpenAsync(RunPage.FileName, RunPage.Render(run, new TimelineFile(1, null, [])));

        await page.AssertFitsTheScreenAsync();   // a thumbnail whose file is not where it points is a failed load
        var thumbs = await page.EvaluateAsync<Thumb[]>("""
            [...document.querySelectorAll('img')].map(i => ({
              row: i.closest('tr').rowIndex, href: i.closest('a')?.href ?? '', src: i.src,
              natural: i.naturalWidth, shown: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height }))
            """);
        Assert.Equal(2, thumbs.Length);
        Assert.All(thumbs, t =>
        {
            Assert.Equal(2, t.Row);                                  // the row under the CustomChecks stage's row
            Assert.Equal(t.Src, t.Href);                             // the thumbnail links the full PNG
            Assert.Equal(1280, t.Natural);                           // loaded: the product's 1280 px screenshot
            Assert.InRange(t.Shown, 200, 300);                       // shown small
            Assert.InRange(t.Height, 1, 200);
        });
        Assert.Equal(ScreenshotRun.Shots.Select(s => new Uri(Path.Combine(_dir, ScreenshotRun.Stage, s)).AbsoluteUri), thumbs.Select(t => t.Href));
        Assert.Equal("admin logs in", await page.EvaluateAsync<string>("document.querySelector('tr.check td:last-child').firstChild.textContent"));
    }

    /// <summary>A thumbnail as laid out (Playwright fills init properties).</summary>
    private sealed record Thumb
    {
        public int Row { get; init; }
        public string Href { get; init; } = "";
        public string Src { get; init; } = "";
        public int Natural { get; init; }
        public double Shown { get; init; }
        public double Height { get; init; }
    }

    [Fact]
    public async Task The_sweep_page_keeps_a_line_a_recipe_within_a_laptop_screen_whatever_its_names_and_reasons_hold()
    {
        var summary = SweepPageSample.Summary();
        await using var page = await OpenAsync(SweepReportWriter.Html, SweepReportWriter.ToHtml(summary));

        await page.AssertFitsTheScreenAsync();
        // One line each, as tall as the header's line: no row grows for a long name, release or reason.
        var rows = await page.EvaluateAsync<double[]>("[...document.querySelectorAll('table tr')].map(r => r.getBoundingClientRect().height)");
        Assert.Equal(summary.Recipes.Count + 1, rows.Length);
        Assert.True(rows.Skip(1).All(h => h < 1.5 * rows[0]), $"rows taller than one line (header first): {string.Join(", ", rows)}");
        Assert.Equal(summary.Recipes.Select(r => r.History.Count), await page.EvaluateAsync<int[]>(
            "[...document.querySelectorAll('table tr')].slice(1).map(r => r.querySelectorAll('.strip span').length)"));
        // Every cell of the strips and rungs is drawn inside its column's content box: one that
        // reaches into the padding (its margin included) is hidden behind the column's ellipsis.
        var hidden = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('.strip span, .rungs span')].filter(s => {
              const b = s.getBoundingClientRect(), td = s.closest('td'), t = td.getBoundingClientRect(), c = getComputedStyle(td);
              const right = t.right - parseFloat(c.paddingRight) - parseFloat(c.borderRightWidth);
              return !(b.width > 0 && b.left >= t.left && b.right + parseFloat(getComputedStyle(s).marginRight) <= right);
            }).map(s => `${s.closest('tr').rowIndex}: ${s.title}`)
            """);
        Assert.True(hidden.Length == 0, "cells cut off: " + string.Join(" | ", hidden));
        // A cut cause still carries the whole reason for a hover.
        Assert.Equal(summary.Recipes[0].Reason, await page.EvaluateAsync<string?>("document.querySelector('td.cause').title"));
    }

    [Fact]
    public async Task The_index_and_the_sweep_page_fit_a_phone_without_sideways_scrolling()
    {
        var summary = SweepPageSample.Summary();
        await using (var sweep = await OpenAsync(SweepReportWriter.Html, SweepReportWriter.ToHtml(summary), PageInspector.Phone))
            await sweep.AssertFitsTheScreenAsync();

        var artifacts = Path.Combine(_dir, "artifacts");
        foreach (var r in summary.Recipes)
            new RunResult { RunId = "20261129-080031-8ae4", Recipe = r.Recipe, Mode = "recipe", Verdict = r.Verdict, Level = r.Level, StartedAt = DateTimeOffset.UnixEpoch }
                .Write(Path.Combine(artifacts, "runs", "20261129-080031-8ae4", r.Recipe), ArtifactWriter.NoSecrets);
        new ArtifactIndex(artifacts, Path.Combine(_dir, "state"), ArtifactWriter.NoSecrets).Write(message => Assert.Fail(message));
        foreach (var width in new[] { PageInspector.Width, PageInspector.Phone })
        {
            await using var index = await chromium.OpenAsync(Path.Combine(artifacts, ArtifactIndex.FileName), width);
            await index.AssertFitsTheScreenAsync();
            Assert.Equal(1, await index.CountAsync("meta[name=viewport]"));
        }
    }

    [Fact]
    public async Task The_checks_catch_a_page_wider_than_the_screen_and_its_errors_and_failed_loads()
    {
        await using var page = await OpenAsync("broken.html",
            "<!DOCTYPE html><html><body><p>fine</p><div class=\"wide\" style=\"width:2000px\">too wide</div>" +
            "<img src=\"missing.png\" alt=\"\"><script>console.error('broken on purpose')</script>" +
            "<script>throw new Error('thrown on purpose')</script></body></html>");

        var overflow = await page.OverflowAsync();
        Assert.Equal(PageInspector.Width, overflow.Viewport);
        Assert.True(overflow.Scroll > overflow.Viewport);
        Assert.Contains(overflow.Wide, o => o.StartsWith("div.wide", StringComparison.Ordinal));
        Assert.DoesNotContain(overflow.Wide, o => o.StartsWith("p.", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.Contains("broken on purpose", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.Contains("missing.png", StringComparison.Ordinal));
        Assert.Contains(page.Errors, e => e.Contains("thrown on purpose", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        // Kept on request, to open a red test's page in a browser.
        if (Environment.GetEnvironmentVariable(Workspace.KeepVariable) != "1") Directory.Delete(_dir, recursive: true);
    }
}
