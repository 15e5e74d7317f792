using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace RecipeCi.Processes;

/// <summary>Receives every command a run executes, already redacted (a stage keeps them as evidence).</summary>
public interface ICommandJournal
{
    void Record(CommandResult result);
}

/// <summary>
/// Runs external processes through CliWrap; records each with its exit code and timing, redacted
/// by the owner's <see cref="Processes.Redactor"/> (a run's, or a fresh one that knows no secret).
/// </summary>
public sealed class CommandRunner(Redactor? redactor = null)
{
    public Redactor Redactor { get; } = redactor ?? new Redactor();
    public ICommandJournal? Journal { get; set; }

    public async Task<CommandResult> RunAsync(Command command, CancellationToken ct = default)
    {
        var cli = Cli.Wrap(command.File)
            .WithArguments(command.Args)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(command.Environment);
        if (command.WorkingDirectory is not null) cli = cli.WithWorkingDirectory(command.WorkingDirectory);
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
                Redactor.Redact(run.StandardOutput), Redactor.Redact(run.StandardError), started, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            result = new CommandResult(Redactor.Redact(command.Display), -1, "",
                $"timed out after {command.Timeout.TotalSeconds:0}s", started, clock.Elapsed);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            result = new CommandResult(Redactor.Redact(command.Display), 127, "", $"{command.File}: {ex.Message}", started, clock.Elapsed);
        }

        Journal?.Record(result);
        if (command.Check && !result.Succeeded) throw new CommandFailedException(result);
        return result;
    }
}
