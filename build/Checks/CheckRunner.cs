using System.Globalization;
using System.Text.RegularExpressions;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Checks;

/// <summary>The app a check runs against.</summary>
/// <remarks><see cref="Values"/>: what the provision hooks gave for the checks, by name (a script gets each as <c>RECIPE_CI_CHECK_&lt;NAME&gt;</c>).</remarks>
public sealed record CheckTarget(string Recipe, string Domain, StackName Stack, IReadOnlyList<string> Services, string LogFolder)
{
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Runs checks against a deployed stack, always from inside its containers (<c>docker exec</c>),
/// so nothing but a container's own loopback is ever addressed; http and tcp checks use the
/// harness's own busybox (<see cref="ProbeTool"/>), so they need nothing from the image. Scripts run on the host with the
/// app's domain, stack and containers in their environment.
/// </summary>
public sealed partial class CheckRunner(DockerCli docker, CommandRunner runner, TimeProvider time)
{
    [GeneratedRegex(@"HTTP/\d(?:\.\d)?\s+(?<code>\d{3})")]
    private static partial Regex StatusLine();

    private readonly ProbeTool _tool = new(docker);

    /// <summary>
    /// Asks an HTTP path from inside a container with the harness's own busybox wget (the image
    /// need have no shell or HTTP client). Returns the first status line's code and the whole
    /// answer (body, then headers).
    /// </summary>
    public async Task<(int? Status, string Answer)> AskHttpAsync(string container, int port, string path, CancellationToken ct)
    {
        if (await _tool.RunAsync(container, TimeSpan.FromSeconds(30), ct, "wget", "-S", "-q", "-O", "-", $"http://127.0.0.1:{port}{path}") is not { } r)
            return (null, "the container stopped");
        var m = StatusLine().Match(r.Output);
        return (m.Success ? int.Parse(m.Groups["code"].Value) : null, r.Output);
    }

    public async Task<CheckResult> RunAsync(CheckSpec check, CheckTarget target, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var (passed, detail) = check switch
        {
            ScriptCheck s => await ScriptAsync(s, target, ct),
            _ => await InContainerAsync(check, target, ct),
        };
        return new CheckResult(check.Name, passed, runner.Redactor.Redact(detail), Math.Round(time.GetElapsedTime(started).TotalSeconds, 3));
    }

    private async Task<(bool, string)> InContainerAsync(CheckSpec check, CheckTarget target, CancellationToken ct)
    {
        var container = await docker.RunningContainerAsync(target.Stack.Of(check.Service), ct);
        if (container is null) return (false, $"no running container of {check.Service} on the current spec");
        switch (check)
        {
            case HttpCheck h:
            {
                var (status, body) = await AskHttpAsync(container, h.Port, h.Path, ct);
                if (status is null) return (false, $"no HTTP answer from {h.Path} on port {h.Port}");
                if (!h.Statuses.Contains(status.Value)) return (false, $"{h.Path} answered {status}, expected {string.Join("/", h.Statuses)}");
                return h.Contains is null || body.Contains(h.Contains, StringComparison.Ordinal)
                    ? (true, $"{h.Path} answered {status}")
                    : (false, $"{h.Path} answered {status} but its body does not contain '{h.Contains}' (body starts: {Start(body)})");
            }
            case ExecCheck e:
            {
                var r = await docker.ExecAsync(container, e.Command, ct);
                // The command is the recipe's, in its image's terms: without a shell there it cannot run at all.
                if (r.ExitCode is 126 or 127 && r.Output.Contains("exec: \"sh\": executable file not found", StringComparison.Ordinal))
                    throw new StageFailure(StageStatus.Error, $"exec check '{check.Name}' cannot run: {check.Service}'s image has no sh to run '{e.Command}'; use an http or tcp check, which need nothing from the image");
                if (r.ExitCode != e.Exit) return (false, $"exited {r.ExitCode}, expected {e.Exit}: {Start(r.Output)}");
                return e.Contains is null || r.Output.Contains(e.Contains, StringComparison.Ordinal)
                    ? (true, $"exited {r.ExitCode}")
                    : (false, $"output does not contain '{e.Contains}': {Start(r.Output)}");
            }
            case TcpCheck t:
            {
                for (var i = 1; i <= t.Stable; i++)
                {
                    // busybox nc has no -z: a refused connect exits 1; a connect the server keeps
                    // open is ended by timeout (124/137/143) and counts as a success.
                    var r = await _tool.RunAsync(container, TimeSpan.FromSeconds(20), ct,
                        "timeout", "-s", "KILL", "3", ProbeTool.ContainerPath, "nc", "127.0.0.1", t.Port.ToString(CultureInfo.InvariantCulture));
                    if (r?.ExitCode is not (0 or 124 or 137 or 143))
                        return (false, $"connect {i} of {t.Stable} to port {t.Port} failed");
                    if (i < t.Stable) await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
                }
                return (true, $"port {t.Port} accepted {t.Stable} connect(s) in a row");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(check), check.GetType().Name, "unknown check kind");
        }
    }

    private async Task<(bool, string)> ScriptAsync(ScriptCheck s, CheckTarget target, CancellationToken ct)
    {
        var env = RecipeEnvironment(target.Recipe, target.Domain, target.Stack, target.Services);
        foreach (var (key, value) in CheckValueEnvironment(target.Values)) env[key] = value;
        foreach (var service in target.Services)
            env[$"RECIPE_CI_CONTAINER_{service.ToUpperInvariant().Replace('-', '_')}"] =
                await docker.RunningContainerAsync(target.Stack.Of(service), ct) ?? "";
        var r = await runner.RunAsync(new Command(s.Path) { Environment = env, Check = false, Timeout = TimeSpan.FromMinutes(5) }, ct);
        Directory.CreateDirectory(target.LogFolder);
        await File.WriteAllTextAsync(Path.Combine(target.LogFolder, s.Name + ".log"), r.Output, ct);
        return r.Succeeded ? (true, "exit 0") : (false, $"exit {r.ExitCode}: {Start(r.Output)}");
    }

    /// <summary>The RECIPE_CI_* variables every script of Recipe CI's own (checks, the install hook) gets.</summary>
    public static Dictionary<string, string?> RecipeEnvironment(string recipe, string domain, StackName stack, IEnumerable<string> services) => new()
    {
        ["RECIPE_CI_RECIPE"] = recipe,
        ["RECIPE_CI_DOMAIN"] = domain,
        ["RECIPE_CI_STACK"] = stack.Value,
        ["RECIPE_CI_SERVICES"] = string.Join(' ', services),
    };

    /// <summary>A script's view of the hooks' check values: <c>check oidc_test_password</c> is <c>RECIPE_CI_CHECK_OIDC_TEST_PASSWORD</c>.</summary>
    private static IEnumerable<KeyValuePair<string, string>> CheckValueEnvironment(IReadOnlyDictionary<string, string> values) =>
        values.Select(v => KeyValuePair.Create($"RECIPE_CI_CHECK_{v.Key.ToUpperInvariant()}", v.Value));

    private static string Start(string text)
    {
        var t = text.Trim().Replace('\n', ' ');
        return t.Length > 200 ? t[..200] + "..." : t;
    }
}
