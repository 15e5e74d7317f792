using System.Text;
using RecipeCi.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RecipeCi.Sweeps;

/// <summary>
/// The sweep's live status at the foot of a terminal (Spectre.Console's live display): the counts and
/// each recipe process running now with its stage, redrawn every <see cref="Refresh"/> while the
/// recipes run, and cleared when they have all ended. Every line the process prints meanwhile is
/// written above it, so the scrollback keeps the start and end lines. Only on a terminal: piped or in
/// CI the sweep prints its lines and nothing else.
/// </summary>
public sealed class LiveSweepStatus(IAnsiConsole console, TimeProvider time)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    /// <summary>A live status needs a terminal on both outputs (a pipe or a log gets only lines) that can move its cursor.</summary>
    public static bool Wanted(bool stdoutIsTerminal, bool stderrIsTerminal, string? term) =>
        stdoutIsTerminal && stderrIsTerminal && !string.Equals(term, "dumb", StringComparison.Ordinal);

    /// <summary>The terminal this process writes to, colour as decided for the whole console.</summary>
    public static IAnsiConsole Terminal(TextWriter stdout, bool colour)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(stdout),
        });
        // Its writer is no longer Console.Out once the lines are routed above the status, so the size is read here.
        if (!Console.IsOutputRedirected) (console.Profile.Width, console.Profile.Height) = (Console.WindowWidth, Console.WindowHeight);
        return console;
    }

    /// <summary>
    /// Shows the status on this process's terminal until <paramref name="finished"/> completes, all it
    /// prints meanwhile (stdout and stderr, Cake's lines included) routed above the status. A status
    /// that fails says why in one line and leaves the sweep to its lines: it never stops the sweep.
    /// </summary>
    public static async Task OnTerminalAsync(string sweepId, SweepProgress progress, Task finished, bool colour, TimeProvider time)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var above = new LinesAbove(stdout);
        var terminal = Terminal(stdout, colour);
        Exception? failed = null;
        // Attached before the status starts and detached once it is cleared: no line reaches the screen past it.
        above.Attach(line => terminal.Write(Above(line)));
        Console.SetOut(above);
        Console.SetError(above);
        try
        {
            await new LiveSweepStatus(terminal, time).ShowAsync(sweepId, progress, finished);
        }
        catch (Exception ex)
        {
            failed = ex;
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            above.Detach();
        }
        if (failed is not null) await stderr.WriteLineAsync($"the sweep's live status stopped: {failed.GetType().Name}: {failed.Message}");
    }

    /// <summary>
    /// Shows the status of <paramref name="progress"/> until <paramref name="finished"/> completes,
    /// then clears it. A line written to the console meanwhile is printed above it.
    /// </summary>
    public Task ShowAsync(string sweepId, SweepProgress progress, Task finished) =>
        console.Live(Render(sweepId, progress))
            .AutoClear(true)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(async live =>
            {
                live.Refresh();   // drawn at once, not a refresh later
                while (!finished.IsCompleted)
                {
                    await Task.WhenAny(finished, Task.Delay(Refresh, time));
                    live.UpdateTarget(Render(sweepId, progress));
                }
            });

    /// <summary>
    /// A line to print above the status, as it is: the terminal wraps it (Spectre would break it by its own
    /// measure, and a copy from the scrollback would carry the breaks). The status is moved up to make room;
    /// the screen under the line is erased first, so no piece of the status before it shows through.
    /// </summary>
    public static IRenderable Above(string line) => new ControlCode("\u001b[0J" + line + "\n");

    /// <summary>The headline bold where the console shows colour; every line cut at the screen's edge rather than wrapped.</summary>
    private Rows Render(string sweepId, SweepProgress progress)
    {
        var headline = console.Profile.Capabilities.ColorSystem == ColorSystem.NoColors ? Style.Plain : new Style(decoration: Decoration.Bold);
        return new(SweepStatus.Lines(sweepId, Observed(progress.Snapshot()), time.GetUtcNow())
            .Select((line, i) => new Text(line, i == 0 ? headline : Style.Plain) { Overflow = Overflow.Ellipsis }));
    }

    /// <summary>Each running recipe's current stage, read from its run folder as the Status target reads it.</summary>
    private static SweepSnapshot Observed(SweepSnapshot snapshot) => snapshot with
    {
        Runs = [.. snapshot.Runs.Select(run =>
        {
            var (stage, since, _) = RunStatus.Progress(run.RunDirectory, run.StartedAt);
            return run with { Stage = stage, StageSince = stage is null ? null : since };
        })],
    };
}

/// <summary>
/// A writer that hands each whole line to a sink while one is attached (the live status, which prints
/// it above itself) and to <paramref name="inner"/> otherwise, so no line is lost before or after.
/// </summary>
public sealed class LinesAbove(TextWriter inner) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();
    private Action<string>? _sink;

    public override Encoding Encoding => inner.Encoding;

    public void Attach(Action<string> sink)
    {
        lock (_gate) _sink = sink;
    }

    /// <summary>Back to <paramref name="inner"/>; a line begun under the sink is finished there.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _sink = null;
            if (_line.Length == 0) return;
            inner.Write(_line.ToString());
            _line.Clear();
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (_sink is null)
            {
                inner.Write(value);
                return;
            }
            if (value == '\r') return;
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }
            var line = _line.ToString();
            _line.Clear();
            _sink(line);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "") Write(c);
    }

    public override void Flush()
    {
        lock (_gate) inner.Flush();
    }
}
