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
}

/// <summary>
/// Cake's report printer, given a report that agrees with the run: each task's status is the
/// context's outcome for it, the target's follows the exit code, and the lifetime's own Setup and
/// Teardown rows are left out (they are not tasks, and a task may be called Teardown too).
/// </summary>
internal sealed class OutcomeReportPrinter(ICakeReportPrinter inner, ICakeContext context, string target) : ICakeReportPrinter
{
    public void Write(CakeReport report) => inner.Write(Agree(report, context as ITaskOutcomeSource, target, (context as IExitCodeSource)?.ExitCode));

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
            var status = e.ExecutionStatus is CakeTaskExecutionStatus.Failed || outcome is null ? e.ExecutionStatus : outcome switch
            {
                TaskOutcome.Succeeded => CakeTaskExecutionStatus.Executed,
                TaskOutcome.Skipped => CakeTaskExecutionStatus.Skipped,
                _ => CakeTaskExecutionStatus.Failed,
            };
            agreed.Add(e.TaskName, e.SkippedMessage, e.Category, e.Duration, status);
        }
        return agreed;
    }
}
