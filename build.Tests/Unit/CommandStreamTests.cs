using RecipeCi.Processes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>The runner's streaming form: lines as they come, redacted, stopped by its reader, journaled once; and a revealed secret, kept out of its records.</summary>
public sealed class CommandStreamTests
{
    private static (CommandRunner Runner, RecordingJournal Journal) Runner()
    {
        var redactor = new Redactor();
        redactor.Register("s3cret-value");
        var journal = new RecordingJournal();
        return (new CommandRunner(redactor) { Journal = journal }, journal);
    }

    private static Command Sh(string script) => new("sh", "-c", script) { Check = false };

    [Fact]
    public async Task Lines_come_while_the_process_runs_and_a_reader_that_stops_stops_it()
    {
        var (runner, journal) = Runner();
        var pid = "";
        await foreach (var line in runner.StreamAsync(Sh("echo $$; exec sleep 60")))
        {
            pid = line;                                            // the process's first line, while it still runs
            break;
        }
        Assert.Equal(-1, Assert.Single(journal.Records).ExitCode);   // stopped before it exited
        await Eventually.HoldsAsync(() => Task.FromResult(!Running(pid)), TimeSpan.FromSeconds(10), $"process {pid} stopped");
    }

    /// <summary>Whether the process exists and is not a zombie.</summary>
    private static bool Running(string pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z"; }
        catch (IOException) { return false; }
    }

    [Fact]
    public async Task Lines_and_the_journal_are_redacted_and_a_finished_process_keeps_its_exit_code()
    {
        var (runner, journal) = Runner();
        var lines = await runner.StreamAsync(Sh("echo one; echo 'token s3cret-value'; echo 'err s3cret-value' >&2; exit 3")).ToListAsync();
        Assert.Equal(["one", $"token {Redactor.Mask}"], lines);
        var record = Assert.Single(journal.Records);
        Assert.Equal(3, record.ExitCode);
        Assert.Equal($"err {Redactor.Mask}", record.Stderr);
        Assert.Equal("", record.Stdout);                           // the lines went to the reader
        Assert.StartsWith("sh -c", record.Display);
    }

    [Fact]
    public async Task A_checked_command_that_fails_throws_once_its_lines_were_read()
    {
        var (runner, _) = Runner();
        var lines = new List<string>();
        var failed = await Assert.ThrowsAsync<CommandFailedException>(async () =>
        {
            await foreach (var line in runner.StreamAsync(Sh("echo out; echo broken >&2; exit 2") with { Check = true }))
                lines.Add(line);
        });
        Assert.Equal(["out"], lines);
        Assert.Equal(2, failed.Result.ExitCode);
    }

    [Fact]
    public async Task Cancelling_stops_the_process_and_is_journaled()
    {
        var (runner, journal) = Runner();
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in runner.StreamAsync(Sh("echo go; sleep 60"), cancel.Token))
                await cancel.CancelAsync();
        });
        Assert.Equal(-1, Assert.Single(journal.Records).ExitCode);
    }

    [Fact]
    public async Task The_timeout_ends_the_stream_and_says_so()
    {
        var (runner, journal) = Runner();
        var lines = await runner.StreamAsync(Sh("echo go; sleep 60") with { Timeout = TimeSpan.FromMilliseconds(500) }).ToListAsync();
        Assert.Equal(["go"], lines);
        Assert.Equal("timed out after 1s", Assert.Single(journal.Records).Stderr);
    }

    [Fact]
    public async Task A_program_that_is_not_there_gives_no_lines_and_exit_127()
    {
        var (runner, journal) = Runner();
        Assert.Empty(await runner.StreamAsync(new Command("recipe-ci-no-such-program") { Check = false }).ToListAsync());
        Assert.Equal(127, Assert.Single(journal.Records).ExitCode);
    }

    [Fact]
    public async Task A_command_that_reveals_a_secret_gives_it_back_as_it_is_and_records_or_throws_it_withheld()
    {
        var (runner, journal) = Runner();

        var read = await runner.RunAsync(Sh("echo s3cret-value") with { RevealsSecret = true });
        var failed = await Assert.ThrowsAsync<CommandFailedException>(() => runner.RunAsync(Sh("echo s3cret-value; exit 3") with { RevealsSecret = true, Check = true }));
        var ordinary = await runner.RunAsync(Sh("echo s3cret-value"));

        Assert.Equal("s3cret-value\n", read.Stdout);
        Assert.Equal([CommandRunner.WithheldOutput, CommandRunner.WithheldOutput, "[REDACTED]\n"], journal.Records.Select(r => r.Stdout));
        Assert.DoesNotContain("s3cret-value", failed.Message);
        Assert.Equal("[REDACTED]\n", ordinary.Stdout);
    }
}
