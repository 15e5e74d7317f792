using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A page opened in <see cref="Chromium"/> at a laptop's screen (or a phone's, <see cref="Phone"/>): what it laid out (<see cref="EvaluateAsync{T}"/>),
/// what sticks out sideways (<see cref="OverflowAsync"/>), and every console error, uncaught exception and
/// failed load it logged (<see cref="Errors"/>).
/// </summary>
public sealed class PageInspector : IAsyncDisposable
{
    public const int Width = 1366, Height = 800;
    /// <summary>A phone's screen width in CSS pixels.</summary>
    public const int Phone = 390;
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IBrowserContext _context;
    private readonly IPage _page;
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>What the page logged as an error: console.error, uncaught exceptions, resources it could not load.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>The screen's width the page was opened at.</summary>
    public int ScreenWidth { get; }

    private PageInspector(IBrowserContext context, IPage page, int width)
    {
        (_context, _page, ScreenWidth) = (context, page, width);
        // Chromium logs each resource it could not load (a missing file, an HTTP error) as a console error with its URL.
        page.Console += (_, m) => { if (m.Type is "error" or "assert") _errors.Enqueue($"console.{m.Type}: {m.Text} ({m.Location})"); };
        page.PageError += (_, e) => _errors.Enqueue($"exception: {e}");
    }

    internal static async Task<PageInspector> OpenAsync(IBrowser browser, string file, int width)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = Height } });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var inspector = new PageInspector(context, await context.NewPageAsync(), width);
        try
        {
            await inspector._page.GotoAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri);
            return inspector;
        }
        catch
        {
            await inspector.DisposeAsync();
            throw;
        }
    }

    /// <summary>The value of a JavaScript expression evaluated in the page.</summary>
    public Task<T> EvaluateAsync<T>(string expression) => _page.EvaluateAsync<T>(expression);

    /// <summary>How many elements match the CSS selector.</summary>
    public Task<int> CountAsync(string selector) => _page.Locator(selector).CountAsync();

    /// <summary>The viewport's width, the page's scrolling width, and every element whose box ends right of the viewport (tag, class and text).</summary>
    public sealed record Overflow
    {
        public int Viewport { get; init; }
        public int Scroll { get; init; }
        public string[] Wide { get; init; } = [];
    }

    public Task<Overflow> OverflowAsync() => EvaluateAsync<Overflow>("""
        (() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5)
            .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} right=${Math.round(e.getBoundingClientRect().right)}: ${(e.textContent ?? '').trim().slice(0, 60)}`);
          return { viewport: window.innerWidth, scroll: document.documentElement.scrollWidth, wide };
        })()
        """);

    /// <summary>At the screen's width: no sideways scrolling, no element ending right of the screen, no error logged.</summary>
    public async Task AssertFitsTheScreenAsync()
    {
        var overflow = await OverflowAsync();
        Assert.Equal(ScreenWidth, overflow.Viewport);
        Assert.True(overflow.Wide.Length == 0, "wider than the screen:\n" + string.Join("\n", overflow.Wide));
        Assert.True(overflow.Scroll <= overflow.Viewport, $"the page scrolls sideways: {overflow.Scroll} px wide at {overflow.Viewport}");
        Assert.True(Errors.Count == 0, "errors:\n" + string.Join("\n", Errors));
    }

    /// <summary>A picture of the whole page, for a reader of the README or of a red test.</summary>
    public Task ScreenshotAsync(string path) => _page.ScreenshotAsync(new() { Path = path, FullPage = true });

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
