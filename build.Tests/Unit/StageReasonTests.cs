using System.Text.RegularExpressions;
using RecipeCi.Context;
using RecipeCi.Lifecycle;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>A stage's reason says a failed service's task error once, on the console and the pages alike.</summary>
public sealed class StageReasonTests
{
    /// <summary>The judge's words on the decisive look recorded on the real swarm.</summary>
    private static ConvergenceJudgement Judged(string scenario)
    {
        var fixture = ObservationFixture.Load(scenario);
        return new ConvergenceJudge().Judge(fixture.Request, fixture.Observations[^1]);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static List<string> Errors(ConvergenceJudgement judged) =>
        judged.Services.Where(s => s.Outcome is not null and not ConvergenceOutcome.Converged).Select(s => s.TaskError).OfType<string>().ToList();

    [Theory]
    [InlineData("crash-loop-exit-code")]
    [InlineData("exit-137")]
    [InlineData("image-missing")]
    [InlineData("one-shot-exit-code")]
    [InlineData("rollback")]
    [InlineData("mixed-rollback")]
    public void Each_failed_service_s_task_error_is_said_once(string scenario)
    {
        var judged = Judged(scenario);
        var errors = Errors(judged);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(1, Count(judged.Summary, e)));
    }

    [Fact]
    public void A_task_error_the_service_s_words_do_not_quote_is_added_in_brackets()
    {
        var judged = Judged("rollback");
        var failed = judged.Services.First(s => s.TaskError is { } e && !s.Detail.Contains(e, StringComparison.Ordinal));
        Assert.Contains($"{failed.Service}: {failed.Detail} [task error: {failed.TaskError}]", judged.Summary);
    }

    [Fact]
    public void The_console_s_stages_table_closing_line_and_run_page_say_the_error_once()
    {
        var judged = Judged("crash-loop-exit-code");
        var error = Errors(judged).First();
        var reason = $"the head's tasks keep failing: {judged.Summary}";
        var r = new RunResult
        {
            Recipe = "hello", Mode = "recipe", Verdict = Verdict.Failed, Reason = "AwaitHeadConvergence: " + reason, Evidence = "/tmp/run",
            Stages = [new StageResult { Name = "AwaitHeadConvergence", Folder = "08-AwaitHeadConvergence", Status = StageStatus.Failed, Reason = reason }],
        };
        Assert.Equal(1, Count(string.Join("\n", RunSummary.Lines(r)), error));
        Assert.Equal(1, Count(RunSummary.Closing(r, RunResults.None).First().Text, error));
        var row = Regex.Match(RunPage.Render(r, new TimelineFile(1, null, [])), "<td class=\"reason\">(?<reason>[^<]*)</td>").Groups["reason"].Value;
        Assert.DoesNotContain("[task error: ", row);
    }
}
