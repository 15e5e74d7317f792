using Cake.Core.Diagnostics;

namespace RecipeCi.Host;

/// <summary>
/// The log Cake's engine writes to, less its "An error occurred when executing task" line: the
/// host prints one line for a failed task (naming it), and bad input must be one message.
/// </summary>
internal sealed class EngineLog(ICakeLog log) : ICakeLog
{
    private const string TaskError = "An error occurred when executing task '{0}'.";

    public Verbosity Verbosity
    {
        get => log.Verbosity;
        set => log.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (format != TaskError) log.Write(verbosity, level, format, args);
    }
}
