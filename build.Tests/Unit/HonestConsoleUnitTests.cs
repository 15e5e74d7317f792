using System.Text.RegularExpressions;
using Cake.Core;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Tests.Unit;

public sealed class HonestConsoleUnitTests
{
    /// <summary>Stages as a run recorded them, answered the way RecipeContext answers.</summary>
    private sealed class Recorded(Dictionary<string, StageStatus> stages) : ITaskOutcomeSource
    {
        public TaskOutcome? OutcomeOf(string task) => stages.TryGetValue(task, out var s) ? RecipeContext.Outcome(s) : null;
    }

    /// <summary>The rows Cake's printer writes: the task and its status word.</summary>
    private static string Table(CakeReport report, ITaskOutcomeSource outcomes, string target, int? exitCode) =>
        string.Join("\n", OutcomeReportPrinter.Agree(report, outcomes, target, exitCode).Select(e => $"{e.TaskName} {e.ExecutionStatus.ToReportStatus()}"));

    private static string StatusOf(string table, string task) =>
        Assert.Single(table.Split('\n'), l => Regex.IsMatch(l, $@"^{task}\s")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];

    private sealed class RecordingConsole : Cake.Core.IConsole
    {
        public List<string> Set { get; } = [];
        public ConsoleColor ForegroundColor { get; set { field = value; Set.Add("fg " + value); } }
        public ConsoleColor BackgroundColor { get; set { field = value; Set.Add("bg " + value); } }
        public bool SupportAnsiEscapeCodes => true;
        public void Write(string format, params object[] arg) { }
        public void WriteLine(string format, params object[] arg) { }
        public void WriteError(string format, params object[] arg) { }
        public void WriteErrorLine(string format, params object[] arg) { }
        public void ResetColor() => Set.Add("reset");
    }

    [Fact]
    public void Information_lines_keep_the_terminals_own_colours_and_an_error_is_still_red()
    {
        var inner = new RecordingConsole();
        var console = new HostConsole(inner, colour: true, terminal: true);
        console.ForegroundColor = ConsoleColor.White;   // Cake's information lines
        console.BackgroundColor = ConsoleColor.Black;
        console.ForegroundColor = ConsoleColor.Red;
        Assert.Equal(["fg Red"], inner.Set);
    }

    [Fact]
    public void The_task_table_gives_durations_in_seconds_to_a_tenth_and_a_skipped_task_none()
    {
        var report = new CakeReport();
        report.Add("AwaitHeadConvergence", CakeReportEntryCategory.Task, TimeSpan.FromMilliseconds(12107.8294));
        report.AddSkipped("ColdInstallHead", "");
        var lines = OutcomeReportPrinter.Lines(report).ToList();
        Assert.Matches(@"^AwaitHeadConvergence\s+12\.1 s   Succeeded$", Assert.Single(lines, l => l.StartsWith("AwaitHeadConvergence", StringComparison.Ordinal)));
        Assert.Matches(@"^ColdInstallHead\s+-   Skipped$", Assert.Single(lines, l => l.StartsWith("ColdInstallHead", StringComparison.Ordinal)));
        Assert.Matches(@"^Total:\s+12\.1 s$", lines[^1]);
    }

    [Fact]
    public void The_table_says_what_each_stage_recorded_and_lists_teardown_once()
    {
        var report = new CakeReport();
        report.Add("Setup", CakeReportEntryCategory.Setup, TimeSpan.FromSeconds(1));
        report.Add("FetchRecipe", CakeReportEntryCategory.Task, TimeSpan.FromSeconds(2));
        report.Add("AwaitHeadConvergence", CakeReportEntryCategory.Task, TimeSpan.FromSeconds(3));
        report.AddSkipped("AwaitHeadHealthy", "");
        report.Add("Teardown", CakeReportEntryCategory.Task, TimeSpan.FromSeconds(4));
        report.Add("Upgrade", CakeReportEntryCategory.Task, TimeSpan.Zero);
        report.Add("Teardown", CakeReportEntryCategory.Teardown, TimeSpan.FromSeconds(1));
        var stages = new Recorded(new()
        {
            ["FetchRecipe"] = StageStatus.Passed, ["AwaitHeadConvergence"] = StageStatus.RolledBack,
            ["AwaitHeadHealthy"] = StageStatus.Unverified, ["Teardown"] = StageStatus.Passed,
        });

        var table = Table(report, stages, "Upgrade", exitCode: 1);

        Assert.Equal("Succeeded", StatusOf(table, "FetchRecipe"));
        Assert.Equal("Failed", StatusOf(table, "AwaitHeadConvergence"));
        Assert.Equal("Skipped", StatusOf(table, "AwaitHeadHealthy"));
        Assert.Equal("Succeeded", StatusOf(table, "Teardown")); // once: the lifetime's row is gone
        Assert.Equal("Failed", StatusOf(table, "Upgrade"));
        Assert.DoesNotMatch(new Regex(@"^Setup\s", RegexOptions.Multiline), table);
        Assert.Equal("Succeeded", StatusOf(Table(report, stages, "Upgrade", exitCode: 0), "Upgrade"));
    }

    [Fact]
    public void A_task_cake_skipped_that_the_run_never_recorded_is_no_row_and_a_known_duration_replaces_cakes()
    {
        var report = new CakeReport();
        report.Add("FetchRecipe", CakeReportEntryCategory.Task, TimeSpan.FromSeconds(2));
        report.AddSkipped("ColdInstallHead", "");        // not part of an Install run: no record
        report.AddSkipped("AwaitHeadHealthy", "");       // part of it, unverified after a stop
        report.Add("Sweep:hello", CakeReportEntryCategory.Task, TimeSpan.FromTicks(1853));
        var outcomes = new Timed(new() { ["FetchRecipe"] = StageStatus.Passed, ["AwaitHeadHealthy"] = StageStatus.Unverified, ["Sweep:hello"] = StageStatus.Passed },
            new() { ["Sweep:hello"] = TimeSpan.FromSeconds(41.2) });

        var agreed = OutcomeReportPrinter.Agree(report, outcomes, "Install", exitCode: 1);

        Assert.Equal(["FetchRecipe", "AwaitHeadHealthy", "Sweep:hello"], agreed.Select(e => e.TaskName));
        Assert.Equal(TimeSpan.FromSeconds(41.2), agreed.Single(e => e.TaskName == "Sweep:hello").Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), agreed.Single(e => e.TaskName == "FetchRecipe").Duration);
    }

    private sealed class Timed(Dictionary<string, StageStatus> stages, Dictionary<string, TimeSpan> durations) : ITaskOutcomeSource
    {
        public TaskOutcome? OutcomeOf(string task) => stages.TryGetValue(task, out var s) ? RecipeContext.Outcome(s) : null;
        public TimeSpan? DurationOf(string task) => durations.TryGetValue(task, out var d) ? d : null;
    }

    [Fact]
    public void A_task_the_context_does_not_know_keeps_cakes_status()
    {
        var report = new CakeReport();
        report.Add("Bootstrap", CakeReportEntryCategory.Task, TimeSpan.FromSeconds(1));
        report.AddFailed("Sweep:hello", TimeSpan.FromSeconds(1));
        var table = Table(report, new Recorded([]), "Other", exitCode: null);
        Assert.Equal("Succeeded", StatusOf(table, "Bootstrap"));
        Assert.Equal("Failed", StatusOf(table, "Sweep:hello"));
    }

    [Theory]
    [InlineData(StageStatus.Passed, TaskOutcome.Succeeded)]
    [InlineData(StageStatus.Skipped, TaskOutcome.Skipped)]
    [InlineData(StageStatus.Unverified, TaskOutcome.Skipped)]
    [InlineData(StageStatus.Failed, TaskOutcome.Failed)]
    [InlineData(StageStatus.Error, TaskOutcome.Failed)]
    [InlineData(StageStatus.TimedOut, TaskOutcome.Failed)]
    [InlineData(StageStatus.RolledBack, TaskOutcome.Failed)]
    [InlineData(StageStatus.BaselineBroken, TaskOutcome.Failed)]
    [InlineData(StageStatus.Refused, TaskOutcome.Failed)]
    public void Only_passed_is_a_success(StageStatus status, TaskOutcome outcome)
    {
        Assert.Equal(outcome, RecipeContext.Outcome(status));
        Assert.Equal(9, Enum.GetValues<StageStatus>().Length); // a new status needs a row here
    }

    [Theory]
    [InlineData(null, null, null, true, true)]
    [InlineData(null, null, null, false, false)]
    [InlineData(null, "1", null, true, false)]     // NO_COLOR, any non-empty value
    [InlineData(null, "", null, true, true)]       // an empty NO_COLOR is not set
    [InlineData(null, null, "1", false, true)]     // FORCE_COLOR asks for colour in a pipe
    [InlineData(null, null, "0", false, false)]
    [InlineData(null, "1", "1", false, false)]     // NO_COLOR wins over FORCE_COLOR
    [InlineData("always", "1", null, false, true)] // the command line wins over both
    [InlineData("never", null, "1", true, false)]
    [InlineData("auto", null, null, false, false)]
    public void Colour_is_decided_by_the_command_line_then_no_color_then_force_color_then_the_terminal(
        string? flag, string? noColor, string? forceColor, bool terminal, bool colour)
    {
        var env = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["FORCE_COLOR"] = forceColor };
        Assert.Equal(colour, HostConsole.WantsColour(flag, k => env.GetValueOrDefault(k), terminal));
    }

    [Fact]
    public void Color_is_a_host_option_with_three_values()
    {
        Assert.Equal("never", HostArguments.Parse(["--target=Trigger", "--color=Never"]).Color);
        Assert.Null(HostArguments.Parse(["--target=Trigger"]).Color);
        Assert.DoesNotContain(HostArguments.Parse(["--target=Trigger", "--color=always"]).Options, o => o.Key == "color");
        Assert.Contains("--color takes always, never or auto", Assert.Throws<UsageException>(() => HostArguments.Parse(["--color=sometimes"])).Message);
    }

    private static readonly List<(string Name, Type Type)> Tasks =
        new CakeHost().AddAssembly(typeof(RecipeContext).Assembly).DiscoverTasks().Select(t => (t.Name, t.Type)).ToList();

    private static string? Check(string target, params string[] options) =>
        ReadsOptionsAttribute.Check(Tasks.Single(t => t.Name == target).Type, target, options, Tasks);

    [Fact]
    public void A_stray_option_is_named_with_the_targets_that_read_it()
    {
        Assert.Equal("--recipe is not read by the Janitor target; it is read by BackupRestore, Bench, Custom, Install, Lint, Plan, Publish, Recipe, Upgrade. " +
                     "Fix: drop --recipe, or run one of those targets",
            Check("Janitor", "lock-dir", "recipe"));
        Assert.Null(Check("Janitor", "lock-dir", "reap-unrecorded"));
        Assert.Null(Check("Janitor", "recipie")); // no target reads it: the context reports it as unknown
        Assert.Equal("--artifacts is not read by the Bootstrap target; it is read by " +
                     "BackupRestore, Bench, Bridge, Custom, Install, Janitor, Lint, Plan, Publish, Recipe, Sweep, SweepBench, Trigger, Upgrade. " +
                     "Fix: drop --artifacts, or run one of those targets",
            Check("Bootstrap", "artifacts"));
    }

    [Fact]
    public void A_sweeps_shared_dependencies_are_bad_input_to_a_target_that_installs_no_dependency()
    {
        // Lint and Plan deploy nothing, so a sweep's handle would be read and ignored: exit 2 instead, naming the fix.
        foreach (var target in new[] { "Lint", "Plan" })
            Assert.Equal($"--shared-deps is not read by the {target} target; it is read by BackupRestore, Custom, Install, Recipe, Upgrade. " +
                         "Fix: drop --shared-deps, or run one of those targets",
                Check(target, "recipe", "shared-deps"));
        Assert.All(new[] { "BackupRestore", "Custom", "Install", "Recipe", "Upgrade" }, target => Assert.Null(Check(target, "recipe", "shared-deps")));
    }

    [Fact]
    public void Every_option_is_read_by_a_target_and_every_target_declares_what_it_reads()
    {
        var read = Tasks.SelectMany(t => t.Type.GetCustomAttributes(typeof(ReadsOptionsAttribute), false).Cast<ReadsOptionsAttribute>())
            .SelectMany(a => a.Options).ToHashSet();
        Assert.All(RunOptions.Known.Keys, k => Assert.True(read.Contains(k), $"no target reads --{k}"));
        var targets = new CakeHost().AddAssembly(typeof(RecipeContext).Assembly).DiscoverTasks().Where(t => t.IsTarget);
        Assert.All(targets, t => Assert.True(t.Type.IsDefined(typeof(ReadsOptionsAttribute), false), $"{t.Name} declares no [ReadsOptions]"));
    }

    [Fact]
    public void Every_pipeline_call_gives_its_target_only_options_it_reads()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoRoot.Path, ".drone.yml"))));
        var calls = stream.Documents.SelectMany(d => d.AllNodes.OfType<YamlScalarNode>())
            .Select(n => n.Value!).Where(v => v.Contains("./build.sh")).ToList();
        Assert.True(calls.Count >= 5, string.Join("\n", calls));
        foreach (var call in calls)
        {
            var target = Regex.Match(call, @"--target=(\S+)").Groups[1].Value;
            var options = Regex.Matches(call, @"--([a-z-]+)=").Select(m => m.Groups[1].Value).Where(o => o != "target").ToArray();
            Assert.NotEmpty(options);
            Assert.Null(Check(target, options));
        }
    }
}
