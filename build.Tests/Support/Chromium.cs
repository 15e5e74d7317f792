using Microsoft.Playwright;

namespace RecipeCi.Tests.Support;

/// <summary>
/// Debian's headless chromium (Bootstrap installs it), driven by Playwright: one browser for a test
/// class (<c>IClassFixture&lt;Chromium&gt;</c>), a fresh <see cref="PageInspector"/> for each page it opens.
/// Playwright never downloads a browser of its own here. Chromium missing is a failure naming the fix, never a skip.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        await LocalSwarm.EnsureAsync();   // Bootstrap installs chromium with the rest of what the suite needs
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"chromium is not installed ({Executable} is missing). Fix: ./build.sh --target=Bootstrap " +
                                                "(its package list installs Debian's chromium), or apt-get install -y chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Timeout = (float)PageInspector.Patience.TotalMilliseconds,
            // The suite runs as root, where chromium's sandbox refuses to start; the pages are our own files.
            // The machine may have no network: chromium's own connections (updates, sync, QUIC) stay off, where they would only be refused.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            // A laptop's scrollbar takes its width from the page, as it does for a reader: Playwright's headless default hides it.
            IgnoreDefaultArgs = ["--hide-scrollbars"],
        });
    }

    /// <summary>Opens the file at a screen <paramref name="width"/> wide (a laptop's unless told) and waits for its load event.</summary>
    public Task<PageInspector> OpenAsync(string file, int width = PageInspector.Width) =>
        PageInspector.OpenAsync(_browser ?? throw new InvalidOperationException("chromium was not launched"), file, width);

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
