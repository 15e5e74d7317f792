namespace RecipeCi.Processes;

/// <summary>One external process to run: abra, docker or git.</summary>
public sealed record Command(string File, IReadOnlyList<string> Args)
{
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Standard input; never logged (secret values travel this way).</summary>
    public string? StandardInput { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Throw <see cref="CommandFailedException"/> on a non-zero exit code.</summary>
    public bool Check { get; init; } = true;
    /// <summary>
    /// Its standard output is a secret value the caller needs as it is (to type it into a page): it is
    /// given back unredacted and never journaled. The caller registers it with the run's redactor.
    /// </summary>
    public bool RevealsSecret { get; init; }

    public Command(string file, params string[] args) : this(file, (IReadOnlyList<string>)args) { }

    public string Display => File + " " + string.Join(" ", Args.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:+,@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}

public sealed record CommandResult(string Display, int ExitCode, string Stdout, string Stderr, DateTimeOffset StartedAt, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
    /// <summary>Both streams: abra writes its FATA lines to stdout.</summary>
    public string Output => (Stdout + (Stderr.Length > 0 && Stdout.Length > 0 ? "\n" : "") + Stderr).Trim();
}

public sealed class CommandFailedException(CommandResult result)
    : Exception($"`{result.Display}` exited {result.ExitCode}: {Tail(result.Output)}")
{
    public CommandResult Result { get; } = result;

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(6)).Trim();
    }
}
