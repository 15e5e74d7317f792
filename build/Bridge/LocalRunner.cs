using System.Globalization;
using System.Reflection;
using CliWrap;
using RecipeCi.Naming;
using RecipeCi.Publishing;

namespace RecipeCi.Bridge;

/// <summary>Where the bridge's own runs go and what they are told: the options a pipeline step would pass.</summary>
public sealed record LocalRunSettings(string Catalog, string Artifacts, string StateDir, string LockDir, string DomainSuffix, Uri Forge, string Bot);

/// <summary>
/// <c>--runner=local</c>: the bridge runs a trigger's build itself, as Drone's recipe-ci pipeline
/// would (the Recipe target, then Publish --post), with this very program. Runs of one app domain
/// (the same recipe, PR and head) wait in a queue and go one at a time; others go side by side. On
/// SIGTERM a running run is interrupted gracefully (it tears down) before the bridge exits.
/// </summary>
public sealed class LocalRunner(LocalRunSettings settings, TimeProvider time, Action<string> say, CancellationToken stopping) : IBuildStarter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _queues = [];

    public Task<StartedBuild> StartAsync(PendingTrigger trigger, CancellationToken ct)
    {
        var runId = $"bridge-{time.GetUtcNow():yyyyMMdd-HHmmss}-{trigger.CommentId}";
        var domain = AppNaming.Domain(trigger.Recipe, trigger.Pr.ToString(CultureInfo.InvariantCulture), trigger.HeadSha, settings.DomainSuffix);
        bool waits;
        lock (_gate)
        {
            var before = _queues.GetValueOrDefault(domain) ?? Task.CompletedTask;
            waits = !before.IsCompleted;
            _queues[domain] = RunAfterAsync(before, trigger, runId);
        }
        say($"{trigger}: run {runId} queued on this machine (app domain {domain}{(waits ? ", after the run of the same domain before it" : "")})");
        return Task.FromResult(new StartedBuild($"run {runId} on the bridge's machine", null));
    }

    /// <summary>Waits for every queued run to end (after SIGTERM they end early, torn down).</summary>
    public Task DrainAsync()
    {
        lock (_gate) return Task.WhenAll(_queues.Values);
    }

    private async Task RunAfterAsync(Task before, PendingTrigger t, string runId)
    {
        await before.ContinueWith(_ => { }, TaskScheduler.Default);
        if (stopping.IsCancellationRequested) return;
        var stages = TriggerParser.Stages(t.Mode);
        string[] common = [$"--recipe={t.Recipe}", $"--run-id={runId}", $"--stages={stages}", $"--artifacts={settings.Artifacts}", $"--catalog={settings.Catalog}"];
        var log = Path.Combine(settings.Artifacts, "bridge", runId + ".log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        // The run rewrites the artifact index, whose canonical and history columns come from the sweeps' state folder.
        var code = await RunAsync([.. common, "--target=Recipe", $"--pr={t.Pr}", $"--ref={t.HeadSha}", $"--lock-dir={settings.LockDir}", $"--state-dir={settings.StateDir}"], log);
        say($"{t}: run {runId} exited {code}; publishing (log: {log})");
        var posted = await RunAsync([.. common, "--target=Publish", $"--pr={t.Pr}", $"--ref={t.HeadSha}", "--post",
            $"--forge-url={settings.Forge}", $"--bot={settings.Bot}"], log);
        say($"{t}: publish of run {runId} exited {posted}");
    }

    private async Task<int> RunAsync(string[] args, string log)
    {
        var (file, first) = Self();
        try
        {
            await using var output = File.Open(log, FileMode.Append, FileAccess.Write, FileShare.Read);
            var result = await Cli.Wrap(file).WithArguments([.. first, .. args])
                .WithEnvironmentVariables(e => e.Set("NO_COLOR", "1"))
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToStream(output)).WithStandardErrorPipe(PipeTarget.ToStream(output))
                .ExecuteAsync(CancellationToken.None, stopping);
            return result.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    /// <summary>This program: the apphost itself, or <c>dotnet RecipeCi.dll</c> when run that way (as build.sh does).</summary>
    private static (string File, string[] First) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [Assembly.GetEntryAssembly()?.Location ?? typeof(LocalRunner).Assembly.Location])
            : (process, []);
    }
}
