using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.Verdicts;

namespace RecipeCi.Results;

/// <summary>
/// What a stage is: which stage, the rung it counts for, whether it is verdict-neutral (counts for
/// its rung only) and whether it is a wait on swarm.
/// </summary>
public sealed record StageKind(StageId Stage, Rung? Rung, bool VerdictNeutral, bool WaitsOnSwarm)
{
    /// <summary>The stage's name, as its records and folder carry it.</summary>
    public string Name => Stage.ToString();

    /// <summary>
    /// Whether its failure stops the stages after it. A stage that only asks the app (custom checks)
    /// changes nothing later stages stand on: its failure is recorded, and can be the verdict, but
    /// the other rungs still get results of their own.
    /// </summary>
    public bool StopsRun { get; init; } = true;
}

/// <summary>One command a stage ran, as kept in its <c>stage.json</c>.</summary>
public sealed record CommandRecord(string Command, int ExitCode, DateTimeOffset StartedAt, double DurationS);

/// <summary>
/// The evidence folder of one stage: <c>stage.json</c> (status, reason, timings, every command
/// with its exit code), <c>console.log</c> (what the stage said and what its commands printed),
/// and whatever the stage observed (service inspects, task lists, git state). Everything it writes
/// is redacted by the run's redactor.
/// </summary>
public sealed class StageRecorder : ICommandJournal
{
    /// <summary>The stage's log in its folder: what it said and what its commands printed.</summary>
    public const string LogFile = "console.log";

    public const string FileName = "stage.json";

    private readonly Lock _gate = new();
    private readonly List<CommandRecord> _commands = [];
    private readonly StreamWriter _console;
    private readonly Action<string> _echo;
    private readonly ArtifactWriter _artifacts;
    private readonly TimeProvider _clock;

    public StageKind Kind { get; }
    public string Name => Kind.Name;
    public string Folder { get; }
    public string Directory { get; }
    public DateTimeOffset StartedAt { get; }
    public TimeSpan Duration { get; private set; }
    public StageStatus Status { get; private set; } = StageStatus.Passed;
    public string? Reason { get; private set; }
    /// <summary>Files in the folder that explain a non-pass, pointed at from results.json.</summary>
    public List<string> Evidence { get; } = [];
    /// <summary>Checks the stage ran, each its own JUnit testcase.</summary>
    public List<Recipes.CheckResult> Checks { get; } = [];
    /// <summary>The service whose tasks failed, when a convergence stage saw one: what the reason says, typed.</summary>
    public Swarm.FailedService? Failure { get; set; }

    public StageRecorder(string runDirectory, int index, StageKind kind, ArtifactWriter artifacts, Action<string> echo, TimeProvider clock)
    {
        _clock = clock;
        StartedAt = clock.GetUtcNow();
        Kind = kind;
        Folder = $"{index:00}-{kind.Name}";
        Directory = Path.Combine(runDirectory, Folder);
        System.IO.Directory.CreateDirectory(Directory);
        _console = new StreamWriter(Path.Combine(Directory, LogFile), append: true) { AutoFlush = true };
        _echo = echo;
        _artifacts = artifacts;
    }

    private Redactor Redactor => _artifacts.Redactor;

    public void Log(string message)
    {
        message = Redactor.Redact(message);
        lock (_gate) _console.WriteLine($"{_clock.GetUtcNow():HH:mm:ss.fff} {message}");
        _echo(message);
    }

    public void Record(CommandResult result)
    {
        lock (_gate)
        {
            _commands.Add(new CommandRecord(result.Display, result.ExitCode, result.StartedAt, Math.Round(result.Duration.TotalSeconds, 3)));
            _console.WriteLine($"{result.StartedAt:HH:mm:ss.fff} $ {result.Display}  # exit {result.ExitCode}, {result.Duration.TotalSeconds:0.00}s");
            if (result.Output.Length > 0) _console.WriteLine(Indent(result.Output));
        }
    }

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => "    " + l));

    /// <summary>Writes an observation into the stage folder (redacted).</summary>
    public string Write(string file, string content) => _artifacts.Write(Path.Combine(Directory, file), content);

    public string WriteJson(string file, object value) => _artifacts.WriteJson(Path.Combine(Directory, file), value);

    public void Skip(string reason) => End(StageStatus.Skipped, reason);

    /// <summary>Set by <see cref="Gap"/>: the stage skipped for what the recipe lacks, undeclared.</summary>
    public bool CoverageGap { get; private set; }

    /// <summary>Skips for what the recipe lacks and recipes.yaml does not declare not applicable: the rung is a coverage gap.</summary>
    public void Gap(string reason)
    {
        Skip($"coverage gap: {reason}");
        CoverageGap = true;
    }

    public void End(StageStatus status, string? reason)
    {
        Status = status;
        Reason = reason is null ? null : Redactor.Redact(reason);
    }

    public void Finish()
    {
        Duration = _clock.GetUtcNow() - StartedAt;
        List<CommandRecord> commands;
        lock (_gate) commands = [.. _commands];
        WriteJson(FileName, new StageFile(Name, Kind.Rung, Status, Reason, CoverageGap, Kind.VerdictNeutral, Kind.WaitsOnSwarm, StartedAt, Math.Round(Duration.TotalSeconds, 3), Evidence, Checks, commands) { Failure = Failure });
        lock (_gate) _console.Dispose();
    }
}

/// <summary>A stage's <c>stage.json</c>.</summary>
public sealed record StageFile(
    string Name, Rung? Rung, StageStatus Status, string? Reason, bool CoverageGap, bool VerdictNeutral, bool WaitsOnSwarm, DateTimeOffset StartedAt, double DurationS,
    IReadOnlyList<string> Evidence, IReadOnlyList<Recipes.CheckResult> Checks, IReadOnlyList<CommandRecord> Commands)
{
    public Swarm.FailedService? Failure { get; init; }
}
