using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using CliWrap.EventStream;

namespace RecipeCi.Processes;

/// <summary>Receives every command a run executes, already redacted (a stage keeps them as evidence).</summary>
public interface ICommandJournal
{
    void Record(CommandResult result);
}

/// <summary>
/// Runs external processes through CliWrap; records each with its exit code and timing, redacted
/// by the owner's <see cref="Processes.Redactor"/> (a run's, or a fresh one that knows no secret).
/// Processes run on the wall clock: their timings and timeouts are real time.
/// </summary>
public sealed class CommandRunner(Redactor? redactor = null)
{
    public Redactor Redactor { get; } = redactor ?? new Redactor();
    public ICommandJournal? Journal { get; set; }

    public async Task<CommandResult> RunAsync(Command command, CancellationToken ct = default)
    {
        var cli = Wrap(command);
        if (command.StandardInput is not null) cli = cli.WithStandardInputPipe(PipeSource.FromString(command.StandardInput));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(command.Timeout);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            var run = await cli.ExecuteBufferedAsync(Encoding.UTF8, timeout.Token);
            result = new CommandResult(Redactor.Redact(command.Display), run.ExitCode,
                command.RevealsSecret ? run.StandardOutput : Redactor.Redact(run.StandardOutput), Redactor.Redact(run.StandardError), started, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            result = new CommandResult(Redactor.Redact(command.Display), -1, "", TimedOut(command), started, clock.Elapsed);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            result = new CommandResult(Redactor.Redact(command.Display), 127, "", NotStarted(command, ex), started, clock.Elapsed);
        }

        // What is recorded or thrown never carries a revealed secret.
        var recorded = command.RevealsSecret ? result with { Stdout = WithheldOutput } : result;
        Journal?.Record(recorded);
        if (command.Check && !result.Succeeded) throw new CommandFailedException(recorded);
        return result;
    }

    /// <summary>What the journal keeps of a command's output that <see cref="Command.RevealsSecret"/>.</summary>
    public const string WithheldOutput = "(a secret value: not recorded)";

    /// <summary>
    /// Runs a process and gives its standard output line by line as it comes, redacted. The process
    /// is stopped when the caller stops reading, cancels, or at the command's timeout. Journaled
    /// once it ended, with what it wrote on standard error (its lines went to the caller); exit -1
    /// when it was stopped before it exited.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(Command command, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(command.Timeout);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var exit = -1;
        var stderr = new StringBuilder();
        var events = Wrap(command).ListenAsync(Encoding.UTF8, stop.Token).GetAsyncEnumerator(stop.Token);
        CommandResult result;
        try
        {
            while (true)
            {
                string? line = null;
                try
                {
                    if (!await events.MoveNextAsync()) break;
                    switch (events.Current)
                    {
                        case StandardOutputCommandEvent o: line = Redactor.Redact(o.Text); break;
                        case StandardErrorCommandEvent e: stderr.AppendLine(e.Text); break;
                        case ExitedCommandEvent x: exit = x.ExitCode; break;
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    stderr.Append(TimedOut(command));
                    break;
                }
                catch (System.ComponentModel.Win32Exception ex)
                {
                    (exit, stderr) = (127, new StringBuilder(NotStarted(command, ex)));
                    break;
                }
                if (line is not null) yield return line;
            }
        }
        finally
        {
            await events.DisposeAsync();   // stops the process if it still runs
            result = new CommandResult(Redactor.Redact(command.Display), exit, "", Redactor.Redact(stderr.ToString().Trim()), started, clock.Elapsed);
            Journal?.Record(result);
        }
        if (command.Check && !result.Succeeded) throw new CommandFailedException(result);
    }

    private static CliWrap.Command Wrap(Command command)
    {
        var cli = Cli.Wrap(command.File)
            .WithArguments(command.Args)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(command.Environment);
        return command.WorkingDirectory is null ? cli : cli.WithWorkingDirectory(command.WorkingDirectory);
    }

    private static string TimedOut(Command command) => $"timed out after {command.Timeout.TotalSeconds:0}s";

    private static string NotStarted(Command command, Exception ex) => $"{command.File}: {ex.Message}";
}
