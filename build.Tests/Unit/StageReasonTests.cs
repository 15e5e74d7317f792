using System.Text.RegularExpressions;
using RecipeCi.Context;
using RecipeCi.Lifecycle;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>A stage's reason on the console and the pages says a task's error once; results.json keeps it whole.</summary>
public sealed class StageReasonTests
{
    /// <summary>The judge's words on the decisive look recorded on the real swarm.</summary>
    private static ConvergenceJudgement Judged(string scenario)
    {
        var fixture = ObservationFixture.Load(scenario);
        return new ConvergenceJudge().Judge(fixture.Request, fixture.Observations[^1]);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Theory]
    [InlineData("crash-loop-exit-code")]
    [InlineData("exit-137")]
    [InlineData("image-missing")]
    [InlineData("one-shot-exit-code")]
    [InlineData("rollback")]
    [InlineData("mixed-rollback")]
    public void Each_failed_service_s_task_error_is_shown_once(string scenario)
    {
        var judged = Judged(scenario);
        var errors = judged.Services.Where(s => s.Outcome is not null and not ConvergenceOutcome.Converged).Select(s => s.TaskError).OfType<string>().ToList();
        Assert.NotEmpty(errors);
        var reason = $"the head's tasks keep failing: {judged.Summary}. Forensics: convergence.json";
        var shown = StageReason.Shown(reason)!;
        Assert.All(errors, e => Assert.Equal(1, Count(shown, e)));
        // Only a repeat is left out: what the reason says besides stays, in its order.
        Assert.StartsWith(reason[..reason.IndexOf(errors[0], StringComparison.Ordinal)], shown);
        Assert.EndsWith(". Forensics: convergence.json", shown);
    }

    [Fact]
    public void A_task_error_said_before_is_left_out_and_one_said_nowhere_else_stays_with_its_own_brackets()
    {
        const string error = "exited: task 4kq0 failed: task: non-zero exit (3): exit code 3";
        Assert.Equal($"app: 3 task(s) on the current spec failed and none runs: {error}; db: 0/1 running [task error: no suitable node [memory]]",
            StageReason.Shown($"app: 3 task(s) on the current spec failed and none runs: {error} [task error: {error}]; db: 0/1 running [task error: no suitable node [memory]]"));
        Assert.Null(StageReason.Shown(null));
        Assert.Equal("cut short [task error: exited", StageReason.Shown("cut short [task error: exited"));
    }

    [Fact]
    public void The_console_s_stages_table_and_closing_line_show_the_error_once_and_results_keep_the_reason()
    {
        var judged = Judged("crash-loop-exit-code");
        var error = judged.Services.Select(s => s.TaskError).OfType<string>().First();
        var reason = $"the head's tasks keep failing: {judged.Summary}";
        var r = new RunResult
        {
            Recipe = "hello", Mode = "recipe", Verdict = Verdict.Failed, Reason = "AwaitHeadConvergence: " + reason, Evidence = "/tmp/run",
            Stages = [new StageResult { Name = "AwaitHeadConvergence", Folder = "08-AwaitHeadConvergence", Status = StageStatus.Failed, Reason = reason }],
        };
        Assert.Equal(2, Count(reason, error));
        Assert.Equal(1, Count(string.Join("\n", RunSummary.Lines(r)), error));
        Assert.Equal(1, Count(RunSummary.Closing(r, RunResults.None).First().Text, error));
        // The run page's stages row: the reason cut to 200 characters, the error said once in it.
        var row = Regex.Match(RunPage.Render(r, new TimelineFile(1, null, [])), "<td class=\"reason\">(?<reason>[^<]*)</td>").Groups["reason"].Value;
        Assert.Equal(System.Net.WebUtility.HtmlEncode(StageReason.Shown(reason)!)[..150], row[..150]);
        Assert.DoesNotContain("[task error: ", row);
    }
}
