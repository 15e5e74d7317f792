using Cake.Core;
using Cake.Core.Diagnostics;

namespace RecipeCi.Host;

/// <summary>How a task ended in the application's terms, which can differ from Cake's "it returned".</summary>
public enum TaskOutcome { Succeeded, Failed, Skipped }

/// <summary>
/// A context that knows how its tasks ended: a task may record its failure and return normally
/// (so that later tasks and teardown still run), which Cake alone would report as succeeded.
/// </summary>
public interface ITaskOutcomeSource
{
    /// <summary>The task's outcome, or null when the context does not know it (Cake's status stands).</summary>
    TaskOutcome? OutcomeOf(string task);

    /// <summary>
    /// The task's own wall time when Cake's is not it (a task that awaits work done elsewhere, such
    /// as another process); null: Cake's duration stands.
    /// </summary>
    TimeSpan? DurationOf(string task) => null;
}

/// <summary>
/// Cake's report printer, given a report that agrees with the run: each task's status is the
/// context's outcome for it, the target's follows the exit code, and the lifetime's own Setup and
/// Teardown rows are left out (they are not tasks, and a task may be called Teardown too), as are the
/// tasks Cake skipped that the context has no outcome for: they were not part of this run.
/// Durations are in seconds to a tenth, which is all a reader compares.
/// </summary>
internal sealed class OutcomeReportPrinter(ICakeReportPrinter inner, ICakeContext context, IConsole console, string target) : ICakeReportPrinter
{
    public void Write(CakeReport report)
    {
        foreach (var line in Lines(Agree(report, context as ITaskOutcomeSource, target, (context as IExitCodeSource)?.ExitCode))) console.WriteLine(line);
    }

    /// <summary>The task table: a task a line with its duration to 0.1 s and its status, then the total.</summary>
    internal static IEnumerable<string> Lines(CakeReport report)
    {
        var width = Math.Max(30, report.Select(e => e.TaskName.Length + 2).DefaultIfEmpty(0).Max());
        static string Seconds(TimeSpan d) => (d.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s").PadLeft(10);
        var rule = new string('-', width + 22);
        yield return "";
        yield return "Task".PadRight(width) + "Duration".PadLeft(10) + "   Status";
        yield return rule;
        foreach (var e in report)
            yield return e.TaskName.PadRight(width) + (e.ExecutionStatus == CakeTaskExecutionStatus.Skipped ? "-".PadLeft(10) : Seconds(e.Duration)) + "   " + e.ExecutionStatus.ToReportStatus();
        yield return rule;
        yield return "Total:".PadRight(width) + Seconds(TimeSpan.FromTicks(report.Sum(e => e.Duration.Ticks)));
    }

    public void WriteStep(string name, Verbosity verbosity) => inner.WriteStep(name, verbosity);
    public void WriteLifeCycleStep(string name, Verbosity verbosity) => inner.WriteLifeCycleStep(name, verbosity);
    public void WriteSkippedStep(string name, Verbosity verbosity) => inner.WriteSkippedStep(name, verbosity);

    internal static CakeReport Agree(CakeReport report, ITaskOutcomeSource? outcomes, string target, int? exitCode)
    {
        var agreed = new CakeReport();
        foreach (var e in report.Where(e => e.Category == CakeReportEntryCategory.Task))
        {
            var outcome = string.Equals(e.TaskName, target, StringComparison.OrdinalIgnoreCase) && exitCode is { } code
                ? code == 0 ? TaskOutcome.Succeeded : TaskOutcome.Failed
                : outcomes?.OutcomeOf(e.TaskName);
            if (outcomes is not null && outcome is null && e.ExecutionStatus == CakeTaskExecutionStatus.Skipped) continue;
            var status = e.ExecutionStatus is CakeTaskExecutionStatus.Failed || outcome is null ? e.ExecutionStatus : outcome switch
            {
                TaskOutcome.Succeeded => CakeTaskExecutionStatus.Executed,
                TaskOutcome.Skipped => CakeTaskExecutionStatus.Skipped,
                _ => CakeTaskExecutionStatus.Failed,
            };
            agreed.Add(e.TaskName, e.SkippedMessage, e.Category, outcomes?.DurationOf(e.TaskName) ?? e.Duration, status);
        }
        return agreed;
    }
}
