using System.Text;
using Microsoft.Win32.SafeHandles;
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

    /// <summary>
    /// The terminal this process writes to, colour as decided for the whole console. Written straight to
    /// file descriptor 1: .NET's console stream locks <c>Console.Out</c> for each write, which is the
    /// router of the lines above while the status shows; a line waiting for the status while the status
    /// waits for that lock would stop both.
    /// </summary>
    private static IAnsiConsole Terminal(bool colour)
    {
        var fd1 = new StreamWriter(new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1), new UTF8Encoding(false)) { AutoFlush = true };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(fd1),
        });
        // Its writer is not Console.Out, so Spectre cannot read the size: read here, and a terminal that reports
        // none (a pseudo-terminal nobody sized, as `script` makes without a terminal of its own) taken as 80x24.
        var (width, height) = Console.IsOutputRedirected ? (0, 0) : (Console.WindowWidth, Console.WindowHeight);
        (console.Profile.Width, console.Profile.Height) = (width > 0 ? width : 80, height > 0 ? height : 24);
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
        Exception? failed = null;
        try
        {
            var terminal = Terminal(colour);
            Console.SetOut(above);
            Console.SetError(above);
            await new LiveSweepStatus(terminal, time).ShowAsync(sweepId, progress, finished, above);
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
    /// then clears it. A line written to <paramref name="above"/> meanwhile is printed above it; one
    /// written while the status is being cleared is held until <see cref="LinesAbove.Detach"/>, since
    /// the clearing erases the lines it counts from where the cursor is.
    /// </summary>
    public Task ShowAsync(string sweepId, SweepProgress progress, Task finished, LinesAbove above) =>
        console.Live(Render(sweepId, progress))
            .AutoClear(true)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(async live =>
            {
                // Spectre's live display takes its own two locks in one order to redraw and in the other to
                // print above itself: one lock of ours around both keeps a line and a redraw from waiting on each other.
                var screen = new Lock();
                above.Attach(line =>
                {
                    lock (screen) console.Write(Above(line));
                });
                try
                {
                    lock (screen) live.Refresh();   // drawn at once, not a refresh later
                    while (!finished.IsCompleted)
                    {
                        await Task.WhenAny(finished, Task.Delay(Refresh, time));
                        var frame = Render(sweepId, progress);
                        lock (screen) live.UpdateTarget(frame);
                    }
                }
                finally
                {
                    above.Hold();
                }
            });

    /// <summary>
    /// A line to print above the status, as it is: the terminal wraps it (Spectre would break it by its own
    /// measure, and a copy from the scrollback would carry the breaks). The status is moved up to make room;
    /// the screen under the line is erased first, so no piece of the status before it shows through.
    /// </summary>
    private static IRenderable Above(string line) => new ControlCode("\u001b[0J" + line + "\n");

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
/// it above itself), keeps the lines while held, and writes to <paramref name="inner"/> otherwise, so
/// no line is lost or reordered before, during or after.
/// </summary>
public sealed class LinesAbove(TextWriter inner) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();
    private readonly List<string> _held = [];
    private Action<string>? _sink;

    public override Encoding Encoding => inner.Encoding;

    public void Attach(Action<string> sink)
    {
        lock (_gate) _sink = sink;
    }

    /// <summary>Keeps each line from now on until <see cref="Detach"/>; a line the sink is printing is printed first.</summary>
    public void Hold() => Attach(_held.Add);

    /// <summary>Back to <paramref name="inner"/>: the lines held first, then a line begun before.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _sink = null;
            foreach (var line in _held) inner.WriteLine(line);
            _held.Clear();
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
