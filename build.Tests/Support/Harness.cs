using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace RecipeCi.Tests.Support;

/// <summary>How the harness ended: its exit code, everything it printed, and its stdout alone (null when not kept apart).</summary>
public sealed record HarnessResult(int ExitCode, string Output, string? Stdout = null);

/// <summary>Runs the built harness as a real process, the way build.sh and Drone run it.</summary>
public static class Harness
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "RecipeCi.dll");

    public static async Task<HarnessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(8));
        var result = await Cli.Wrap("dotnet").WithArguments([Dll, .. args])
            .WithEnvironmentVariables(Environment(env))
            .WithWorkingDirectory(workingDirectory ?? AppContext.BaseDirectory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cts.Token);
        return new HarnessResult(result.ExitCode, result.StandardOutput + result.StandardError, result.StandardOutput);
    }

    /// <summary>Starts the harness without waiting for it, so a test can signal it mid-run.</summary>
    public static RunningHarness Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null) => new(args, Environment(env));

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["NO_COLOR"] = "1",
            // Keep a developer's or a pipeline's own Drone variables out of the runs under test.
            ["DRONE_PULL_REQUEST"] = null, ["DRONE_COMMIT_SHA"] = null, ["DRONE_REPO_NAME"] = null,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) environment[k] = v;
        return environment;
    }
}

/// <summary>A harness process still running: its output is collected, and it can be sent signals.</summary>
public sealed class RunningHarness : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    internal RunningHarness(IEnumerable<string> args, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in (string[])[Harness.Dll, .. args]) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            if (v is null) start.Environment.Remove(k);
            else start.Environment[k] = v;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Sends a signal by name (TERM, KILL, ...), as Drone's cancel or the OOM killer would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{name} {Pid} exited {kill.ExitCode}");
    }

    public async Task<HarnessResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return new HarnessResult(_process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
