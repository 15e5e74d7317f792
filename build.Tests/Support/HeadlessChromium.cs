using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json.Linq;
using RecipeCi.Processes;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A page opened in Debian's headless <c>chromium</c> at a laptop's viewport, driven over the
/// DevTools protocol: what it laid out (<see cref="EvaluateAsync"/>), what sticks out sideways
/// (<see cref="OverflowAsync"/>), and every console error, uncaught exception and failed load it
/// logged (<see cref="Errors"/>). Chromium missing is a failure naming the fix, never a skip.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const int Width = 1366, Height = 800;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JObject>> _pending = [];
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    /// <summary>What the page logged as an error: console.error, uncaught exceptions, resources it could not load.</summary>
    public IReadOnlyList<string> Errors { get { lock (_gate) return [.. _errors]; } }

    private HeadlessChromium(Process process, string profile) => (_process, _profile) = (process, profile);

    /// <summary>Starts chromium, opens the file and waits for its load event.</summary>
    public static async Task<HeadlessChromium> OpenAsync(string file)
    {
        var profile = Directory.CreateTempSubdirectory("recipe-ci-chromium-").FullName;
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            // The suite runs as root, where chromium's sandbox refuses to start; the pages are our own files.
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                $"--window-size={Width},{Height}", "about:blank" },
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Directory.Delete(profile, recursive: true);
            throw new InvalidOperationException($"chromium is not installed ({ex.Message}). Fix: ./build.sh --target=Bootstrap (its package list installs Debian's chromium), or apt-get install -y chromium", ex);
        }
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            await browser.NavigateAsync(new Uri(Path.GetFullPath(file)).AbsoluteUri);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        var stderr = new StringBuilder();
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { endpoint.TrySetException(new InvalidOperationException($"chromium ended before it listened:\n{stderr}")); return; }
            lock (stderr) stderr.AppendLine(e.Data);
            const string listening = "DevTools listening on ";
            if (e.Data.StartsWith(listening, StringComparison.Ordinal)) endpoint.TrySetResult(e.Data[listening.Length..].Trim());
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var browserUrl = new Uri(await endpoint.Task.WaitAsync(Patience));

        // The page the browser opened (about:blank, at the window's size) is the one to drive: its
        // endpoint is in the browser's target list once the page exists, which can be a moment later.
        using var http = new HttpClient();
        string? page = null;
        await Poll.UntilAsync(new PollPlan(TimeSpan.FromMilliseconds(100), Patience), TimeProvider.System, async () =>
        {
            var targets = JArray.Parse(await http.GetStringAsync(new Uri($"http://{browserUrl.Authority}/json/list")));
            page = targets.OfType<JObject>().Where(t => (string?)t["type"] == "page" && (string?)t["url"] == "about:blank")
                .Select(t => (string?)t["webSocketDebuggerUrl"]).FirstOrDefault();
            return page is not null;
        }, null, CancellationToken.None);
        await _socket.ConnectAsync(new Uri(page ?? throw new InvalidOperationException($"chromium listed no about:blank page:\n{stderr}")), CancellationToken.None);
        _ = Task.Run(ReceiveAsync);
        foreach (var domain in new[] { "Page", "Runtime", "Log" }) await SendAsync($"{domain}.enable");
    }

    private async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var navigated = await SendAsync("Page.navigate", new JObject { ["url"] = url });
        if (navigated["errorText"] is { } error) throw new InvalidOperationException($"chromium could not open {url}: {error}");
        await _loaded.Task.WaitAsync(Patience);
    }

    /// <summary>The value of a JavaScript expression evaluated in the page (as JSON).</summary>
    public async Task<JToken> EvaluateAsync(string expression)
    {
        var answer = await SendAsync("Runtime.evaluate", new JObject { ["expression"] = expression, ["returnByValue"] = true });
        if (answer["exceptionDetails"] is { } thrown) throw new InvalidOperationException($"{expression} threw: {thrown}");
        return answer["result"]?["value"] ?? JValue.CreateNull();
    }

    /// <summary>
    /// Whether the page scrolls sideways at the viewport's width, and every element whose box ends
    /// right of it (tag, class and text, for the assertion message).
    /// </summary>
    public async Task<(int ViewportWidth, int ScrollWidth, IReadOnlyList<string> Overflowing)> OverflowAsync()
    {
        var look = await EvaluateAsync("""
            (() => {
              const width = document.documentElement.clientWidth;
              const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5)
                .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} right=${Math.round(e.getBoundingClientRect().right)}: ${(e.textContent ?? '').trim().slice(0, 60)}`);
              return { viewport: window.innerWidth, client: width, scroll: document.documentElement.scrollWidth, wide };
            })()
            """);
        return ((int)look["viewport"]!, (int)look["scroll"]!, look["wide"]!.Select(w => (string)w!).ToList());
    }

    /// <summary>At the screen's width: no sideways scrolling, no element ending right of the screen, no error logged.</summary>
    public async Task AssertFitsTheScreenAsync()
    {
        var (viewport, scroll, overflowing) = await OverflowAsync();
        Assert.Equal(Width, viewport);
        Assert.True(overflowing.Count == 0, "wider than the screen:\n" + string.Join("\n", overflowing));
        Assert.True(scroll <= viewport, $"the page scrolls sideways: {scroll} px wide at {viewport}");
        Assert.True(Errors.Count == 0, "errors:\n" + string.Join("\n", Errors));
    }

    private async Task<JObject> SendAsync(string method, JObject? parameters = null)
    {
        var answer = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = answer;
        }
        var message = new JObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToString(Newtonsoft.Json.Formatting.None)), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await answer.Task.WaitAsync(Patience);
        return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error}") : (JObject)reply["result"]!;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var text = new StringBuilder();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (part.MessageType == WebSocketMessageType.Close) return;
                text.Append(Encoding.UTF8.GetString(buffer, 0, part.Count));
                if (!part.EndOfMessage) continue;
                Dispatch(JObject.Parse(text.ToString()));
                text.Clear();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The browser closed: every call still waiting fails with its own timeout message.
        }
    }

    private void Dispatch(JObject message)
    {
        lock (_gate)
        {
            if (message["id"] is { } id)
            {
                if (_pending.Remove((int)id, out var waiting)) waiting.TrySetResult(message);
                return;
            }
            var p = message["params"] as JObject ?? [];
            var type = (string?)p["type"];
            var details = p["exceptionDetails"] as JObject ?? [];
            var entry = p["entry"] as JObject ?? [];
            switch ((string?)message["method"])
            {
                case "Page.loadEventFired":
                    _loaded.TrySetResult();
                    break;
                case "Runtime.consoleAPICalled" when type is "error" or "assert":
                    _errors.Add($"console.{type}: {string.Join(" ", p["args"]?.Select(a => (string?)(a["value"] ?? a["description"])) ?? [])}");
                    break;
                case "Runtime.exceptionThrown":
                    _errors.Add($"exception: {details["exception"]?["description"] ?? details["text"]}");
                    break;
                case "Log.entryAdded" when (string?)entry["level"] == "error":
                    _errors.Add($"{entry["source"]}: {entry["text"]} {entry["url"]}");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException) { }
        _socket.Dispose();
        // Only the browser this test started, and its helpers (renderer, GPU), which it leads.
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
