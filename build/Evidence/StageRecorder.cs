using Newtonsoft.Json;
using RecipeCi.Processes;
using RecipeCi.Verdicts;

namespace RecipeCi.Evidence;

/// <summary>One command a stage ran, as kept in its <c>stage.json</c>.</summary>
public sealed record CommandRecord(string Command, int ExitCode, DateTimeOffset StartedAt, double DurationS);

/// <summary>
/// The evidence folder of one stage: <c>stage.json</c> (status, reason, timings, every command
/// with its exit code), <c>console.log</c> (what the stage said and what its commands printed),
/// and whatever the stage observed (service inspects, task lists, git state).
/// </summary>
public sealed class StageRecorder : ICommandJournal
{
    private readonly Lock _gate = new();
    private readonly List<CommandRecord> _commands = [];
    private readonly StreamWriter _console;
    private readonly Action<string> _echo;

    public string Name { get; }
    public string Folder { get; }
    public string Directory { get; }
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public TimeSpan Duration { get; private set; }
    public StageStatus Status { get; private set; } = StageStatus.Passed;
    public string? Reason { get; private set; }
    /// <summary>Counts for its rung only, never for the verdict (lint).</summary>
    public bool VerdictNeutral { get; set; }
    /// <summary>Files in the folder that explain a non-pass, pointed at from results.json.</summary>
    public List<string> Evidence { get; } = [];
    /// <summary>Checks the stage ran, each its own JUnit testcase.</summary>
    public List<Checks.CheckResult> Checks { get; } = [];

    public StageRecorder(string runDirectory, int index, string name, Action<string> echo)
    {
        Name = name;
        Folder = $"{index:00}-{name}";
        Directory = Path.Combine(runDirectory, Folder);
        System.IO.Directory.CreateDirectory(Directory);
        _console = new StreamWriter(Path.Combine(Directory, "console.log"), append: true) { AutoFlush = true };
        _echo = echo;
    }

    public void Log(string message)
    {
        message = Redactor.Redact(message);
        lock (_gate) _console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {message}");
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
    public string Write(string file, string content)
    {
        var path = Path.Combine(Directory, file);
        File.WriteAllText(path, Redactor.Redact(content));
        return path;
    }

    public string WriteJson(string file, object value) => Write(file, JsonConvert.SerializeObject(value, Formatting.Indented));

    public void Skip(string reason) => End(StageStatus.Skipped, reason);

    public void End(StageStatus status, string? reason)
    {
        Status = status;
        Reason = reason is null ? null : Redactor.Redact(reason);
    }

    public void Finish()
    {
        Duration = DateTimeOffset.UtcNow - StartedAt;
        List<CommandRecord> commands;
        lock (_gate) commands = [.. _commands];
        WriteJson("stage.json", new
        {
            name = Name,
            status = Status,
            reason = Reason,
            verdict_neutral = VerdictNeutral,
            started_at = StartedAt,
            duration_s = Math.Round(Duration.TotalSeconds, 3),
            evidence = Evidence,
            checks = Checks,
            commands,
        });
        lock (_gate) _console.Dispose();
    }
}
