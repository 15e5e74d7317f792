using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Routing;

namespace RecipeCi.Browser;

/// <summary>
/// Where a browser check leaves its evidence, and how it resolves <c>secret:NAME</c>,
/// <c>env:KEY</c> and <c>check:NAME</c> values (null: the app has no such value). Resolved values are registered with the
/// run's redactor before they are typed.
/// </summary>
public sealed record BrowserTarget(string Folder, Func<StepValue, string?> Resolve);

/// <summary>
/// Another app the page may go to, a dependency of the app (an OIDC provider's login page): its
/// domain resolves to its task as the app's does, over the route its own traefik labels name.
/// </summary>
public sealed record BrowserSite(string Name, StackName Stack, RoutingExpectation Expect);

/// <summary>A browser check's result and the files it kept (screenshots, trace, browser.json), all in its folder.</summary>
public sealed record BrowserOutcome(CheckResult Result, IReadOnlyList<string> Screenshots, string? Trace, string Log);

/// <summary>
/// Runs a browser check in Debian's chromium, driven by Playwright, reaching the app by its domain
/// over the route traefik would take: chromium runs in the network namespace of the
/// <see cref="ProxyHelper"/> (a wrapper script runs it under <c>nsenter</c>; Playwright still drives
/// it through its pipe), and its resolver maps the app's domain, and each dependency's, to the
/// task's address and port that the routing probe reads from its labels; every other host resolves
/// to nothing, so the page reaches only the app and the apps it needs. Requests carry traefik's
/// X-Forwarded headers, and the page's http origins count as secure (the app's Secure cookies are
/// kept, as over traefik's https). An https URL of a mapped domain (a provider's redirect back to
/// the app) is answered with a 307 to its http twin, as traefik's https entrypoint would serve it.
/// A stripprefix route is followed by rewriting the request's path.
/// </summary>
public sealed class BrowserRunner(RouteProber prober, ProxyHelper helper, Redactor redactor)
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>No sandbox (the harness runs as root) and nothing that would call out of the machine.</summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private static readonly TimeSpan Launch = TimeSpan.FromSeconds(60);
    private const int Width = 1280, Height = 800;

    public string ChromiumPath { get; init; } = Chromium;

    /// <param name="others">The apps the app needs, whose domains the page may go to as well.</param>
    public async Task<BrowserOutcome> RunAsync(BrowserCheck check, StackName stack, RoutingExpectation expect, IReadOnlyList<BrowserSite> others,
        BrowserTarget target, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(target.Folder);
        var evidence = new BrowserEvidence(target.Folder, redactor);
        var session = new Session(check, evidence, expect.Domain);
        try
        {
            if (!File.Exists(ChromiumPath))
                session.Fail($"chromium is not installed ({ChromiumPath}). Fix: ./build.sh --target=Bootstrap (it installs Debian's chromium)");
            else if (await prober.VisitorRouteAsync(stack, expect, ct) is var (route, address, why) && (route is null || address is null))
                session.Fail($"the browser reaches the app by its domain over the route traefik would take, and there is none: {why}");
            else if (await helper.NetworkNamespaceAsync(ct) is not { } netns)
                session.Fail("the browser joins the proxy helper's network namespace, which needs the docker engine on this host");
            else
                await RunInNamespaceAsync(session, [(route, address), .. await RoutesOfAsync(others, session, ct)], netns, target, ct);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            session.Fail($"the browser did not start: {FirstLine(ex.Message)}");
        }
        var log = evidence.WriteLog(session.Log());
        var detail = redactor.Redact(session.Failure ?? $"{check.Steps.Count} step(s) passed at {session.Url}" +
            (session.Screenshots.Count == 0 ? "" : $"; screenshots: {string.Join(", ", session.Screenshots.Select(Path.GetFileName))}"));
        return new BrowserOutcome(new CheckResult(check.Name, session.Failure is null, detail, Math.Round(clock.Elapsed.TotalSeconds, 3)),
            session.Screenshots, session.Trace, log);
    }

    /// <summary>Each other app's route, read as the app's is; one without a route is left unresolved, and the log says why.</summary>
    private async Task<List<(RouteRequest Route, IPAddress Address)>> RoutesOfAsync(IReadOnlyList<BrowserSite> others, Session session, CancellationToken ct)
    {
        var routes = new List<(RouteRequest, IPAddress)>();
        foreach (var site in others)
        {
            var (route, address, why) = await prober.VisitorRouteAsync(site.Stack, site.Expect, ct);
            if (route is not null && address is not null) routes.Add((route, address));
            else session.Resolve($"{site.Expect.Domain} ({site.Name}): resolves to nothing, it has no route: {why}");
        }
        return routes;
    }

    /// <param name="routes">The app's route first, then the other apps'.</param>
    private async Task RunInNamespaceAsync(Session session, IReadOnlyList<(RouteRequest Route, IPAddress Address)> routes, string netns, BrowserTarget target, CancellationToken ct)
    {
        var (route, _) = routes[0];
        var domain = route.Host;
        foreach (var (r, a) in routes) session.Resolve($"{r.Host}: {a}:{r.Port} (service {r.Service}, router {r.Router})");
        var wrapper = Directory.CreateTempSubdirectory("recipe-ci-chromium-").FullName;
        try
        {
            var executable = Path.Combine(wrapper, "chromium");
            // chromium joins the helper's network only; it keeps the host's files (its profile, Playwright's pipe).
            await File.WriteAllTextAsync(executable, $"#!/bin/sh\nexec nsenter --net={netns} {ChromiumPath} \"$@\"\n", ct);
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = executable, Headless = true, Timeout = (float)Launch.TotalMilliseconds,
                // The app believes it is served over https (X-Forwarded-Proto), so it may set Secure
                // cookies: the page's origin must count as secure for chromium to keep them.
                Args = [.. ChromiumArgs, $"--host-resolver-rules={string.Concat(routes.Select(m => $"MAP {m.Route.Host} {m.Address}:{m.Route.Port}, "))}MAP * ~NOTFOUND",
                    $"--unsafely-treat-insecure-origin-as-secure={string.Join(',', routes.Select(m => $"http://{m.Route.Host}"))}"],
            });
            var context = await browser.NewContextAsync(new()
            {
                BaseURL = $"http://{domain}", ViewportSize = new() { Width = Width, Height = Height },
                ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = domain, ["X-Forwarded-Port"] = "443" },
            });
            if (route.ForwardedPrefix is not null) await ForwardAsync(context, route);
            foreach (var (other, _) in routes.Skip(1)) await ForwardAsync(context, other);
            await context.Tracing.StartAsync(new() { Screenshots = true, Snapshots = true, Title = session.Check.Name });
            var page = await context.NewPageAsync();
            await AnswerHttpsAsync(context, page, [.. routes.Select(m => m.Route.Host)], session);
            session.Watch(page);
            try
            {
                await session.RunStepsAsync(page, target, redactor, ct);
            }
            finally
            {
                var trace = session.Evidence.PathOf(BrowserEvidence.TraceFile);
                await context.Tracing.StopAsync(new() { Path = trace });
                session.Evidence.RedactTrace(trace);
                session.Trace = trace;
                session.Url = page.Url;
            }
        }
        finally
        {
            Directory.Delete(wrapper, recursive: true);
        }
    }

    /// <summary>
    /// What traefik does for one route's domain: its own X-Forwarded-Host (the context's headers name
    /// the app's), and its stripprefix: the app gets the path without the prefix, and the prefix in X-Forwarded-Prefix.
    /// </summary>
    private static Task ForwardAsync(IBrowserContext context, RouteRequest site) =>
        context.RouteAsync(url => new Uri(url) is var u && u.Scheme == Uri.UriSchemeHttp && u.Host == site.Host
            && (site.ForwardedPrefix is not { } p || u.AbsolutePath.StartsWith(p, StringComparison.Ordinal)), route =>
        {
            var uri = new Uri(route.Request.Url);
            var headers = new Dictionary<string, string>(route.Request.Headers, StringComparer.OrdinalIgnoreCase) { ["X-Forwarded-Host"] = site.Host };
            if (site.ForwardedPrefix is not { } prefix) return route.ContinueAsync(new() { Headers = headers });
            headers["X-Forwarded-Prefix"] = prefix;
            var stripped = new UriBuilder(uri) { Path = "/" + uri.AbsolutePath[prefix.Length..].TrimStart('/') }.Uri.AbsoluteUri;
            return route.ContinueAsync(new() { Url = stripped, Headers = headers });
        });

    /// <summary>
    /// An https URL of a mapped domain, as an app or a provider redirects to its own public address:
    /// traefik's https entrypoint ends TLS, which the browser's direct route to the task has not, so
    /// the request is sent on to its http twin (307 keeps a POST's method and body). Through the
    /// DevTools protocol's Fetch, because Playwright's routes never see the request a redirect makes.
    /// </summary>
    private static async Task AnswerHttpsAsync(IBrowserContext context, IPage page, IReadOnlyList<string> hosts, Session session)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Fetch.requestPaused").OnEvent += (_, paused) =>
        {
            if (paused is not { } e) return;
            var https = e.GetProperty("request").GetProperty("url").GetString()!;
            var http = new UriBuilder(https) { Scheme = Uri.UriSchemeHttp, Port = -1 }.Uri.AbsoluteUri;
            // An event handler awaits nothing: a failed answer is recorded, never thrown where no one catches it.
            _ = cdp.SendAsync("Fetch.fulfillRequest", new()
            {
                ["requestId"] = e.GetProperty("requestId").GetString()!,
                ["responseCode"] = 307,
                ["responseHeaders"] = new[] { new Dictionary<string, object> { ["name"] = "Location", ["value"] = http } },
            }).ContinueWith(t => session.RequestFailed($"{https}: not sent on to {http}: {FirstLine(t.Exception!.InnerException!.Message)}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        };
        await cdp.SendAsync("Fetch.enable", new() { ["patterns"] = hosts.Select(h => new Dictionary<string, object> { ["urlPattern"] = $"https://{h}/*" }).ToArray() });
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>One check's browser: its steps as they ran, and what the page logged meanwhile.</summary>
    private sealed class Session(BrowserCheck check, BrowserEvidence evidence, string domain)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _console = [], _requests = [], _resolves = [];
        private readonly List<BrowserStepRecord> _steps = [];
        private int? _lastStatus;

        public BrowserCheck Check => check;
        public BrowserEvidence Evidence => evidence;
        public string? Failure { get; private set; }
        public List<string> Screenshots { get; } = [];
        public string? Trace { get; set; }
        public string Url { get; set; } = $"http://{domain}/";

        public void Fail(string why) => Failure ??= why;

        public void RequestFailed(string line)
        {
            lock (_gate) _requests.Add(line);
        }

        /// <summary>Where a domain leads the browser (or why it leads nowhere), for browser.json.</summary>
        public void Resolve(string line)
        {
            lock (_gate) _resolves.Add(line);
        }

        public void Watch(IPage page)
        {
            page.Console += (_, m) => { if (m.Type == "error") lock (_gate) _console.Add($"console.error: {m.Text} ({m.Location})"); };
            page.PageError += (_, e) => { lock (_gate) _console.Add($"uncaught: {FirstLine(e)}"); };
            page.RequestFailed += (_, r) => { lock (_gate) _requests.Add($"{r.Method} {r.Url}: {r.Failure}"); };
            page.Response += (_, r) =>
            {
                lock (_gate)
                {
                    if (r.Status >= 400) _requests.Add($"{r.Request.Method} {r.Url}: answered {r.Status}");
                    if (r.Request.IsNavigationRequest && r.Frame == page.MainFrame) _lastStatus = r.Status;
                }
            };
        }

        public async Task RunStepsAsync(IPage page, BrowserTarget target, Redactor redactor, CancellationToken ct)
        {
            for (var i = 0; i < check.Steps.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var step = check.Steps[i];
                var clock = Stopwatch.StartNew();
                string? failed;
                try
                {
                    failed = await StepAsync(page, step, target, redactor);
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
                {
                    failed = await WhatFailedAsync(page, step, ex);
                }
                var seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
                _steps.Add(new BrowserStepRecord(i + 1, step.Describe(), step.Origin, failed is null, failed ?? "done", seconds));
                if (failed is null) continue;
                Fail($"step {i + 1} of {check.Steps.Count} ({step.Describe()}, {step.Origin}) failed after {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s at {page.Url}: {failed}; " +
                    $"the page shows: '{await ShowsAsync(page)}'");
                try { await ScreenshotAsync(page, BrowserCheck.FailureScreenshot); }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException) { lock (_gate) _console.Add($"no failure screenshot: {FirstLine(ex.Message)}"); }
                return;
            }
        }

        /// <summary>Does one step; gives why it failed, or null.</summary>
        private async Task<string?> StepAsync(IPage page, BrowserStep step, BrowserTarget target, Redactor redactor)
        {
            var ms = (float)step.Timeout.TotalMilliseconds;
            switch (step)
            {
                case GotoStep g:
                    await page.GotoAsync(g.Path, new() { Timeout = ms });
                    return null;
                case FillStep f:
                    var value = f.Value.Source == StepValueSource.Literal ? f.Value.Text : target.Resolve(f.Value);
                    if (value is null) return f.Value.Unknown();
                    if (f.Value.Source != StepValueSource.Literal) redactor.Register(value);
                    await page.Locator(f.Selector).First.FillAsync(value, new() { Timeout = ms });
                    return null;
                case ClickStep c:
                    await page.Locator(c.Selector).First.ClickAsync(new() { Timeout = ms });
                    return null;
                case WaitForStep w:
                    await page.Locator(w.Selector).First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = ms });
                    return null;
                case ExpectTextStep t:
                    await page.Locator(t.Selector ?? "body").Filter(new() { HasText = t.Text }).First
                        .WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = ms });
                    return null;
                case ExpectUrlStep u:
                    await page.WaitForURLAsync(url => UrlMatches(url, u.Path), new() { Timeout = ms });
                    return null;
                case ExpectStatusStep s:
                    int? status;
                    lock (_gate) status = _lastStatus;
                    return status == s.Status ? null : $"the page's last load answered {status?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}";
                case ScreenshotStep shot:
                    await ScreenshotAsync(page, shot.Name);
                    return null;
                default:
                    throw new ArgumentOutOfRangeException(nameof(step), step.GetType().Name, "unknown browser step");
            }
        }

        /// <summary>The page's path (and query, when the expected one has one) is the one expected, or starts with it before a trailing '*'.</summary>
        private static bool UrlMatches(string url, string expected)
        {
            var uri = new Uri(url);
            var actual = expected.Contains('?') ? uri.PathAndQuery : uri.AbsolutePath;
            return expected.EndsWith('*') ? actual.StartsWith(expected[..^1], StringComparison.Ordinal) : actual == expected;
        }

        /// <summary>Why a step's call failed, in the step's terms: what its selector matched, what the page is at.</summary>
        private static async Task<string> WhatFailedAsync(IPage page, BrowserStep step, Exception ex)
        {
            var within = $"within {step.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
            if (ex is not TimeoutException) return FirstLine(ex.Message);
            async Task<string> Matched(string selector) => await page.Locator(selector).CountAsync() is var n && n == 0
                ? $"'{selector}' matched no element {within}"
                : $"'{selector}' matched {n} element(s), none of them visible and ready {within}";
            return step switch
            {
                FillStep f => await Matched(f.Selector),
                ClickStep c => await Matched(c.Selector),
                WaitForStep w => await Matched(w.Selector),
                ExpectTextStep t => $"'{t.Text}' did not appear{(t.Selector is null ? "" : $" in '{t.Selector}'")} {within}",
                ExpectUrlStep u => $"the page did not reach {u.Path} {within}",
                _ => $"{FirstLine(ex.Message)}",
            };
        }

        private static async Task<string> ShowsAsync(IPage page)
        {
            try
            {
                var text = string.Join(' ', (await page.InnerTextAsync("body", new() { Timeout = 2000 })).Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
                return text.Length > 200 ? text[..200] + "..." : text;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                return "(no page body)";
            }
        }

        private async Task ScreenshotAsync(IPage page, string name)
        {
            var file = evidence.PathOf(name + ".png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            Screenshots.Add(file);
        }

        public BrowserLog Log()
        {
            lock (_gate)
                return new BrowserLog(check.Name, Url, [.. _steps], [.. _console], [.. _requests],
                    Screenshots.Select(Path.GetFileName).OfType<string>().ToList(), Trace is null ? null : Path.GetFileName(Trace), [.. _resolves]);
        }
    }
}
