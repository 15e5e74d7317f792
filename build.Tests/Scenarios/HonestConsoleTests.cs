using System.Text.RegularExpressions;
using System.Text;
using CliWrap.Buffered;
using CliWrap;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>
/// What the console says agrees with what happened: colour only on a terminal, one message per bad
/// input, and a task table that tells the stages' outcomes. Fast: nothing here deploys.
/// </summary>
public sealed class HonestConsoleTests : IDisposable
{
    /// <summary>The start of every escape sequence; compared ordinally, since a culture's comparison ignores the control character.</summary>
    private const string Escape = "\u001b[";
    /// <summary>A colour (SGR) sequence: on a terminal .NET also writes keypad-mode sequences, which are no colour.</summary>
    private static readonly Regex Colour = new(@"\u001b\[[0-9;]*m");
    private readonly Workspace _ws = new();

    private static int Lines(string output, string text) => output.Split('\n').Count(l => l.Contains(text));

    private string[] Trigger(params string[] extra) => ["--target=Trigger", "--comment=!testme", $"--artifacts={_ws.Artifacts}", .. extra];

    /// <summary>Runs the harness under a pseudo-terminal (util-linux script), as a developer's shell would.</summary>
    private static async Task<string> OnTerminalAsync(string[] args, IReadOnlyDictionary<string, string?> env)
    {
        var command = string.Join(" ", new[] { "dotnet", Harness.Dll }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var result = await Cli.Wrap("script").WithArguments(["-qec", command, "/dev/null"])
            .WithEnvironmentVariables(env).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        return result.StandardOutput;
    }

    [Fact]
    public async Task A_pipe_gets_no_escape_codes_even_from_a_colour_terminal_type()
    {
        var run = await Harness.RunAsync(Trigger(), new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" });
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("STAGES=", run.Output);
        Assert.DoesNotContain(Escape, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Colour_can_be_asked_for_in_a_pipe()
    {
        var env = new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" };
        Assert.Contains(Escape, (await Harness.RunAsync(Trigger("--color=always"), env)).Output, StringComparison.Ordinal);
        Assert.Contains(Escape, (await Harness.RunAsync(Trigger(), new Dictionary<string, string?>(env) { ["FORCE_COLOR"] = "1" })).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_color_is_honoured_on_a_terminal()
    {
        var colour = await OnTerminalAsync(Trigger(), new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" });
        Assert.Contains("STAGES=", colour);
        Assert.Matches(Colour, colour); // the probe sees colour when nothing turns it off
        var plain = await OnTerminalAsync(Trigger(), new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["TERM"] = "xterm-256color" });
        Assert.Contains("STAGES=", plain);
        Assert.DoesNotMatch(Colour, plain);
    }

    [Fact]
    public async Task Unknown_target_prints_one_error_and_the_targets_only()
    {
        var run = await Harness.RunAsync(["--target=Nope"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(1, Lines(run.Output, "error:"));
        Assert.Equal(1, Lines(run.Output, "unknown target 'Nope'"));
        Assert.Contains("Targets:", run.Output);
        Assert.Matches(new Regex(@"^\s+Recipe\s", RegexOptions.Multiline), run.Output);
        Assert.Matches(new Regex(@"^\s+Bootstrap\s", RegexOptions.Multiline), run.Output);
        Assert.DoesNotMatch(new Regex(@"^\s+FetchRecipe\s", RegexOptions.Multiline), run.Output); // a stage, not a target
        Assert.DoesNotContain("Options:", run.Output);    // the usage text
    }

    [Fact]
    public async Task An_option_the_target_does_not_read_is_named_with_the_targets_that_read_it()
    {
        var run = await Harness.RunAsync(Trigger("--recipe=hello"));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n'), l => l.Contains("--recipe"));
        Assert.Contains("Trigger", line);
        Assert.Contains("Recipe", line);
        Assert.Contains("Publish", line);
        Assert.False(File.Exists(Path.Combine(_ws.Artifacts, "trigger.env")), "the target ran");
    }

    [Theory]
    [InlineData("/proc/recipe-ci-artifacts")]
    [InlineData("{file}/artifacts")]
    public async Task Unwritable_artifacts_is_bad_input_before_anything_runs(string artifacts)
    {
        var file = Path.Combine(_ws.Root, "a-file");
        await File.WriteAllTextAsync(file, "");
        artifacts = artifacts.Replace("{file}", file);
        var run = await Harness.RunAsync(["--target=Trigger", "--comment=!testme", $"--artifacts={artifacts}"]);
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n'), l => l.Contains("error"));
        Assert.Contains(artifacts, line);
        Assert.Contains("Fix:", line);
        Assert.DoesNotContain("STAGES=", run.Output);
    }

    [Fact]
    public async Task Publish_without_a_run_says_so_once()
    {
        var run = await Harness.RunAsync(["--target=Publish", $"--artifacts={_ws.Artifacts}"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(1, Lines(run.Output, "Publish needs --results"));
        Assert.Equal(1, Lines(run.Output, "error"));
    }

    [Fact]
    public async Task The_task_table_agrees_with_the_stages_of_a_run_stopped_early_and_finished_at_is_kept()
    {
        await _ws.AddRecipeAsync("tbl", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var run = await _ws.RunAsync("Upgrade", "tbl", "--base=0.9.0+0", "--abra=local");
        Assert.True(run.ExitCode == 1, _ws.Explain("tbl", run));
        var table = run.Output[run.Output.LastIndexOf("Task ", StringComparison.Ordinal)..];
        string Status(string task) => Assert.Single(table.Split('\n'), l => Regex.IsMatch(l, $@"^{task}\s")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("Failed", Status("FetchRecipe"));
        Assert.Equal("Skipped", Status("RunAdmission"));
        Assert.Equal("Skipped", Status("HeadIdentityCheck"));
        Assert.Equal("Skipped", Status("Teardown")); // nothing was deployed: the stage recorded skipped, and it is listed once
        Assert.Equal("Failed", Status("Upgrade"));   // the target row follows the verdict's exit code
        Assert.DoesNotContain("Succeeded", table);
        // The console ends with the verdict and where its evidence is, after the table, not above it.
        var last = run.Output.TrimEnd().Split('\n')[^3..].Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith("Verdict: FAILED, level L0", last[0]);
        Assert.StartsWith("Evidence: ", last[1]);
        Assert.StartsWith("Report: ", last[2]);
        var results = _ws.Results("tbl");
        Assert.NotNull(results.FinishedAt);
        Assert.True(results.FinishedAt >= results.StartedAt);
    }

    [Fact]
    public async Task A_swept_recipe_that_did_not_pass_is_not_listed_as_succeeded()
    {
        await File.WriteAllTextAsync(_ws.Catalog, $"recipes:\n  ghost: {{repository: {Path.Combine(_ws.Root, "no-such-repo")}}}\n");
        var run = await Harness.RunAsync(["--target=Sweep", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}",
            $"--state-dir={Path.Combine(_ws.Root, "state")}", $"--lock-dir={_ws.LockDir}", "--run-id=honest"]);
        Assert.Equal(1, run.ExitCode);
        var table = run.Output[run.Output.LastIndexOf("Task ", StringComparison.Ordinal)..];
        Assert.Matches(new Regex(@"^Sweep:ghost\s.*\sFailed\s*$", RegexOptions.Multiline), table);
        Assert.Matches(new Regex(@"^Sweep\s.*\sFailed\s*$", RegexOptions.Multiline), table);
        // After the table, the sweep's answer and its page, last.
        var last = run.Output.TrimEnd().Split('\n')[^2..];
        Assert.StartsWith("Sweep honest: 1 recipe: 1 error. Regressed: ghost.", last[0]);
        Assert.EndsWith("Exit code 1.", last[0].TrimEnd());
        Assert.StartsWith($"Report: {Path.Combine(_ws.Artifacts, "sweeps", "honest", "summary.html")}", last[1]);
    }

    [Fact]
    public async Task A_sweep_on_a_terminal_shows_a_live_status_above_which_its_lines_stay_and_a_pipe_gets_the_lines_alone()
    {
        // A recipe whose process ends within seconds, without deploying: it needs more memory than the machine has.
        await _ws.AddRecipeAsync("huge", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2", "1.1.0+2")));
        await File.WriteAllTextAsync(_ws.Catalog, (await File.ReadAllTextAsync(_ws.Catalog)).Replace("memory_mb: 16,", "memory_mb: 16000000,"));
        string[] Sweep(string id) => ["--target=Sweep", $"--catalog={_ws.Catalog}", $"--artifacts={_ws.Artifacts}", $"--lock-dir={_ws.LockDir}",
            $"--state-dir={Path.Combine(_ws.Root, "state-" + id)}", $"--run-id={id}", "--abra=local"];
        void HasItsLines(string output, string id)
        {
            Assert.Contains("huge: started Recipe at 1.1.0+2", output);
            Assert.Matches(@"huge: ended \w+ in \d+\.\d s.*\[done 1, running 0, queued 0\]", output);
            Assert.Contains($"Recipe CI sweep {id}: 1 recipe", output);
        }

        var piped = await Harness.RunAsync(Sweep("piped"), new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" });
        HasItsLines(piped.Output, "piped");
        Assert.DoesNotContain(Escape, piped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Sweep piped: done", piped.Output);   // no status, not even once

        var terminal = await OnTerminalAsync(Sweep("tty"), new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["TERM"] = "xterm-256color" });
        HasItsLines(terminal, "tty");
        // The status was drawn (at once, then redrawn while the recipe ran) and moved the cursor to redraw and clear itself; NO_COLOR kept it plain.
        Assert.Contains("Sweep tty: done 0, ", terminal);
        Assert.Matches(@"\u001b\[\d*A", terminal);
        Assert.DoesNotMatch(Colour, terminal);
        // A line printed while it showed went above it whole, on a screen erased under it (the recipe's process takes seconds to end).
        Assert.Contains("\u001b[0Jhuge: ended ", terminal, StringComparison.Ordinal);
    }

    public void Dispose() => _ws.Dispose();
}
