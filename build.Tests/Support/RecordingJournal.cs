using RecipeCi.Processes;

namespace RecipeCi.Tests.Support;

/// <summary>A command journal that keeps what it is given, for the tests to read.</summary>
public sealed class RecordingJournal : ICommandJournal
{
    private readonly List<CommandResult> _records = [];

    public IReadOnlyList<CommandResult> Records
    {
        get { lock (_records) return [.. _records]; }
    }

    public void Record(CommandResult result)
    {
        lock (_records) _records.Add(result);
    }
}
