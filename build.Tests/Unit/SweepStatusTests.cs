using Microsoft.Extensions.Time.Testing;
using RecipeCi.Files;
using RecipeCi.Results;
using RecipeCi.Sweeps;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;
using Spectre.Console;

namespace RecipeCi.Tests.Unit;

/// <summary>What a sweep says of its progress: the counts on each start and end line, and the live status on a terminal.</summary>
public sealed class SweepStatusTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 22, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-sweep-status-").FullName;

    private RunningRecipe Run(string recipe, TimeSpan startedAfter, int attempt = 0) =>
        new(recipe, attempt, 1, Path.Combine(_dir, recipe + attempt), T0 + startedAfter);

    [Fact]
    public void Each_start_and_end_line_says_how_many_runs_are_done_running_and_queued()
    {
        var progress = new SweepProgress(3);
        Assert.Equal("done 0, running 1, queued 2", progress.Started(Run("a", TimeSpan.Zero)));
        Assert.Equal("done 0, running 2, queued 1", progress.Started(Run("b", TimeSpan.Zero)));
        Assert.Equal("done 1, running 1, queued 1", progress.Ended("a"));
        Assert.Equal("done 1, running 2, queued 0", progress.Started(Run("c", TimeSpan.Zero)));
        Assert.Equal("done 2, running 1, queued 0", progress.Ended("b"));
        Assert.Equal("done 3, running 0, queued 0", progress.Ended("c"));
        Assert.Empty(progress.Snapshot().Runs);
    }

    [Fact]
    public async Task Runs_starting_and_ending_at_once_announce_their_counts_in_order()
    {
        const int runs = 256;
        var progress = new SweepProgress(runs);
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Printing a line takes a while, as it does on a console.
        void Say(string line)
        {
            Thread.SpinWait(2000);
            said.Enqueue(line);
        }
        using var together = new Barrier(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Factory.StartNew(() =>
        {
            together.SignalAndWait();
            for (var i = worker; i < runs; i += 8)
            {
                progress.Started(Run("r" + i, TimeSpan.Zero), Say);
                Thread.SpinWait(50);
                progress.Ended("r" + i, Say);
            }
        }, TaskCreationOptions.LongRunning)));
        // Each line's counts follow the line before it: one run more started or done, never one fewer.
        var done = said.Select(l => int.Parse(l.Split(',')[0]["done ".Length..])).ToList();
        var queued = said.Select(l => int.Parse(l.Split("queued ")[1])).ToList();
        Assert.Equal(2 * runs, said.Count);
        Assert.True(done.Zip(done.Skip(1)).All(p => p.Second >= p.First) && queued.Zip(queued.Skip(1)).All(p => p.Second <= p.First),
            "counts out of order: " + string.Join(" | ", said));
    }

    [Fact]
    public void An_isolation_re_run_shows_as_running_without_changing_the_sweeps_counts()
    {
        var progress = new SweepProgress(1);
        progress.Started(Run("red", TimeSpan.Zero));
        progress.Ended("red");
        progress.ReRunStarted(Run("red", TimeSpan.FromMinutes(2), attempt: 1));
        var during = progress.Snapshot();
        Assert.Equal(("done 1, running 0, queued 0", 1), (during.Counts, during.Runs[0].Attempt));
        progress.ReRunEnded("red");
        Assert.Empty(progress.Snapshot().Runs);
    }

    [Fact]
    public void The_status_lists_the_running_recipes_longest_running_first_with_their_stage_and_times()
    {
        var now = new FakeTimeProvider(T0 + TimeSpan.FromSeconds(185)).GetUtcNow();
        var snapshot = new SweepSnapshot(2, 3, 1,
        [
            Run("notes", TimeSpan.FromSeconds(120)) with { Stage = "AwaitHeadConvergence", StageSince = T0 + TimeSpan.FromSeconds(176) },
            Run("greeter", TimeSpan.FromSeconds(0), attempt: 1) with { Stage = "after VetHead", StageSince = T0 + TimeSpan.FromSeconds(184) },
            Run("blog", TimeSpan.FromSeconds(183)),
        ]);

        var lines = SweepStatus.Lines("sweep-7", snapshot, now);

        Assert.Equal("Sweep sweep-7: done 2, running 3, queued 1", lines[0]);
        Assert.Equal(4, lines.Count);
        Assert.Matches(@"^  greeter \(isolation re-run 1 of 1\) +after VetHead +for 0m01s +running 3m05s$", lines[1]);
        Assert.Matches(@"^  notes +AwaitHeadConvergence +for 0m09s +running 1m05s$", lines[2]);
        // Its process has made no stage folder yet.
        Assert.Matches($@"^  blog +{SweepStatus.NoStageYet} +running 0m02s$", lines[3]);
    }

    [Fact]
    public void Only_a_terminal_on_both_outputs_that_moves_its_cursor_gets_a_live_status()
    {
        Assert.True(LiveSweepStatus.Wanted(true, true, "xterm-256color"));
        Assert.True(LiveSweepStatus.Wanted(true, true, null));
        Assert.False(LiveSweepStatus.Wanted(true, true, "dumb"));
        Assert.False(LiveSweepStatus.Wanted(false, true, "xterm"));   // | tee sweep.log
        Assert.False(LiveSweepStatus.Wanted(true, false, "xterm"));   // 2> errors.log
    }

    [Fact]
    public void Lines_go_above_the_status_while_it_shows_are_held_while_it_clears_and_go_straight_out_before_and_after()
    {
        var inner = new StringWriter();
        var sunk = new List<string>();
        var above = new LinesAbove(inner);
        above.Write("before\n");
        above.Attach(sunk.Add);
        above.Write("one\r\ntw");
        above.WriteLine("o");
        above.Hold();
        above.WriteLine("three");
        above.Write("half");
        Assert.Equal("before\n", inner.ToString());   // held while the status clears
        above.Detach();
        above.Write(" done\n");
        Assert.Equal(["one", "two"], sunk);
        Assert.Equal("before\nthree\nhalf done\n", inner.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_live_status_redraws_each_running_recipes_stage_from_its_run_folder_with_lines_above_it_and_clears_at_the_end()
    {
        var clock = new SteppedClock(T0);
        var run = Run("greeter", TimeSpan.Zero);
        var progress = new SweepProgress(2);
        progress.Started(run);
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(screen),
        });
        console.Profile.Width = 120;
        var finished = new TaskCompletionSource();

        var above = new LinesAbove(new StringWriter());
        var showing = new LiveSweepStatus(console, clock).ShowAsync("s1", progress, finished.Task, above);
        Assert.Equal(LiveSweepStatus.Refresh, await clock.NextWaitAsync(showing));
        Assert.Matches($"greeter +{SweepStatus.NoStageYet} +running 0m00s", Frame(screen));
        // The run's process makes its first stage folder; results.json lists none yet, so the stage is under way since the run started.
        Directory.CreateDirectory(Path.Combine(run.RunDirectory, "01-FetchRecipe"));
        await RefreshAsync(clock, showing, times: 6);
        Assert.Matches("greeter +FetchRecipe +for 0m03s +running 0m03s", Frame(screen));
        // FetchRecipe ended at +4s and the next stage's folder is there: it is under way since then.
        new RunResult { RunId = "s1", Recipe = "greeter", StartedAt = T0,
                Stages = [new StageResult { Name = "FetchRecipe", Folder = "01-FetchRecipe", Status = StageStatus.Passed, StartedAt = T0, DurationS = 4 }] }
            .Write(run.RunDirectory, ArtifactWriter.NoSecrets);
        Directory.CreateDirectory(Path.Combine(run.RunDirectory, "02-RunAdmission"));
        above.WriteLine("notes: started Recipe at 0.3.0+1.2 [done 0, running 2, queued 0]");
        await RefreshAsync(clock, showing, times: 14);
        var frame = Frame(screen);
        Assert.Contains("Sweep s1: done 0, running 1, queued 1", frame);
        Assert.Matches("greeter +RunAdmission +for 0m06s +running 0m10s", frame);

        finished.SetResult();
        await showing;
        var all = screen.ToString();
        // The line was printed above the status, whole, on a screen erased under it, and the status moved its cursor to redraw itself.
        Assert.Contains("\u001b[0Jnotes: started Recipe at 0.3.0+1.2 [done 0, running 2, queued 0]\n", all, StringComparison.Ordinal);
        Assert.Matches(@"\u001b\[\d*A", all);
        Assert.True(all.LastIndexOf("notes: started", StringComparison.Ordinal) < all.LastIndexOf("RunAdmission", StringComparison.Ordinal));
    }

    /// <summary>The last frame drawn: what follows the last cursor move.</summary>
    private static string Frame(StringWriter screen)
    {
        var text = screen.ToString();
        return text[Math.Max(0, text.LastIndexOf("Sweep s1:", StringComparison.Ordinal))..];
    }

    /// <summary>Lets the status wait out <paramref name="times"/> refreshes, each redrawn before the next wait begins.</summary>
    private static async Task RefreshAsync(SteppedClock clock, Task showing, int times)
    {
        for (var i = 0; i < times; i++)
        {
            clock.Advance(LiveSweepStatus.Refresh);
            Assert.Equal(LiveSweepStatus.Refresh, await clock.NextWaitAsync(showing));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
