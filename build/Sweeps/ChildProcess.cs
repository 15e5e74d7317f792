using System.Text;
using CliWrap;
using RecipeCi.Processes;
using Command = RecipeCi.Processes.Command;

namespace RecipeCi.Sweeps;

/// <summary>How a child process ended: its exit code, its wall time and the last lines it printed.</summary>
public sealed record ChildResult(int ExitCode, DateTimeOffset StartedAt, TimeSpan Wall, IReadOnlyList<string> Tail, bool Interrupted);

/// <summary>
/// Runs one harness process (a recipe of a sweep, or a whole sweep of the benchmark) with its
/// output in its own log file. On stop it is interrupted (SIGINT) so that its teardown runs, and
/// killed only if it has not ended within the teardown budget. Its start and wall time are read on the given clock.
/// </summary>
public sealed class ChildProcess(TimeProvider time)
{
    public static readonly TimeSpan TeardownGrace = TimeSpan.FromMinutes(6);
    private const int TailLines = 25;

    /// <summary>This program as a command: <c>dotnet RecipeCi.dll &lt;args&gt;</c>.</summary>
    public static Command Harness(IReadOnlyList<string> args) =>
        new("dotnet", [typeof(ChildProcess).Assembly.Location, .. args])
        {
            // A sweep runs in a Drone cron build: its commit, PR and repository are Recipe CI's own,
            // never the recipe's, so they must not become a child's fallbacks; and a sweep runs
            // every rung (a canonical record stands for the whole lifecycle), whatever STAGES says.
            Environment = new Dictionary<string, string?>
            {
                ["DRONE_COMMIT_SHA"] = null, ["DRONE_PULL_REQUEST"] = null, ["DRONE_REPO_NAME"] = null, ["STAGES"] = null, ["NO_COLOR"] = "1",
            },
        };

    public async Task<ChildResult> RunAsync(Command command, string logPath, CancellationToken stop)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var gate = new Lock();
        var tail = new Queue<string>();
        await using var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        void Line(string line)
        {
            // The recipe process printed this through its own run's redactor.
            lock (gate)
            {
                log.WriteLine(line);
                tail.Enqueue(line);
                if (tail.Count > TailLines) tail.Dequeue();
            }
        }

        var cli = Cli.Wrap(command.File).WithArguments(command.Args)
            .WithEnvironmentVariables(command.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Line))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Line));
        if (command.WorkingDirectory is not null) cli = cli.WithWorkingDirectory(command.WorkingDirectory);

        using var forceful = new CancellationTokenSource();
        await using var escalate = stop.Register(() => forceful.CancelAfter(TeardownGrace));
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        int exitCode;
        var interrupted = false;
        try
        {
            exitCode = (await cli.ExecuteAsync(forceful.Token, stop)).ExitCode;
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
            exitCode = 130; // what an interrupted harness exits with (128 + SIGINT)
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Line($"{command.File}: {ex.Message}");
            exitCode = 127;
        }
        lock (gate) return new ChildResult(exitCode, started, time.GetElapsedTime(clock), [.. tail], interrupted);
    }
}
