using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>The sweep page's cause column: a few words from the run's own results.</summary>
public sealed class ShortCauseTests
{
    /// <summary>A real rolled-back upgrade's stage reason (a test recipe whose head exits 3).</summary>
    private const string RolledBack =
        "swarm rolled the head back: app: swarm rollback started: update rolled back due to failure or early termination of task " +
        "g1524j79ptnkg4xwau369rrfo [task error: exited: task g1524j79ptnk failed: task: non-zero exit (3): exit code 3] (the other services: " +
        "db 0/1 running on the current spec, update updating (latest task ready)). Forensics: convergence.json, tasks.json, services.json, " +
        "logs/, host-memory.txt, host-disk.txt; the timeline: report.html";

    private static StageResult Stage(string name, Rung? rung, StageStatus status, string reason, FailedService? failure = null) =>
        new() { Name = name, Rung = rung, Status = status, Reason = reason, Folder = "08-" + name, Failure = failure };

    [Theory]
    [InlineData("AwaitHeadConvergence", Rung.Upgrade, StageStatus.RolledBack, RolledBack, "upgrade rolled back: app exit 3", "app", FailureCategory.ExitCode, 3)]
    [InlineData("AwaitHeadConvergence", Rung.Upgrade, StageStatus.RolledBack,
        "swarm rolled the head back: web: swarm rollback started: update rolled back [task error: killed: task 3f2a9c1d0e7b failed: task: non-zero exit (137): exit code 137 (killed: out of memory, or stopped by swarm)]",
        "upgrade rolled back: web exit 137", "web", FailureCategory.Killed, 137)]
    [InlineData("AwaitBaseConvergence", Rung.Install, StageStatus.BaselineBroken,
        "base 1.0.0+1 did not converge (failed): app: 0/1 running [task error: healthcheck failing: task 9ab3 failed: exit code 137: last probe exited 1: refused]; db: 0/1 running [task error: image missing: task 77 rejected: No such image]",
        "install baseline broken: app healthcheck failing", "app", FailureCategory.HealthcheckFailing, 137)]
    // A rollback without a failed task to name (swarm's monitor saw none): the reason's first clause.
    [InlineData("AwaitHeadConvergence", Rung.Upgrade, StageStatus.RolledBack, RolledBack, "upgrade rolled back: swarm rolled the head back: app: swarm rollback started: u…")]
    [InlineData("CustomChecks", Rung.Custom, StageStatus.Failed, "1 of 2 custom checks failed: login: HTTP 500; search: timed out", "custom failed: 1 of 2 custom checks failed: login: HTTP 500")]
    [InlineData("CustomChecks", Rung.Custom, StageStatus.Failed, "1 of 1 custom checks failed: not-flagged: exit 1: ", "custom failed: 1 of 1 custom checks failed: not-flagged: exit 1")]
    [InlineData("Teardown", null, StageStatus.Error, "teardown leaked: volume hello_data", "Teardown error: teardown leaked: volume hello_data")]
    public void A_red_run_says_where_it_stopped_its_verdict_and_what_failed(string stage, Rung? rung, StageStatus status, string reason, string cause,
        string? service = null, FailureCategory category = FailureCategory.Unknown, int exit = 0)
    {
        var failure = service is null ? null : new FailedService(service, category, exit == 0 ? null : exit);
        Assert.Equal(cause, ShortCause.Of(status.ToVerdict(), false, Stage(stage, rung, status, reason, failure), $"{stage}: {reason}"));
    }

    [Fact]
    public void A_long_reason_is_cut_to_the_limit_and_marked_cut()
    {
        var reason = "refused before deploying the base, which reaches into the CI host: R020 host-bind-mount at compose.yml services.app.volumes[0]: /var/run/docker.sock";
        var cause = ShortCause.Of(Verdict.Refused, false, Stage("VetBase", Rung.Install, StageStatus.Refused, reason), reason);
        Assert.Equal(ShortCause.MaxLength, cause!.Length);
        Assert.StartsWith("install refused: refused before deploying the base, which reaches", cause);
        Assert.EndsWith("…", cause);
    }

    [Fact]
    public void A_pass_has_no_cause_a_skip_says_why_and_a_crash_says_it_has_no_verdict()
    {
        Assert.Null(ShortCause.Of(Verdict.Passed, false, null, null));
        Assert.Equal("no new version: 1.1.0+2 is canonical since 2026-11-29 08:00Z (run c1)",
            ShortCause.Of(Verdict.Skipped, false, null, "no new version: 1.1.0+2 is canonical since 2026-11-29 08:00Z (run c1); --force runs it"));
        Assert.Equal("no verdict: its process exited 134 without results.json",
            ShortCause.Of(Verdict.Error, true, null, "its process exited 134 without results.json; last output: Unhandled exception: boom"));
        // Without a stopping stage, the run's own reason, up to its evidence pointer.
        Assert.Equal("unverified: VerifyMarker: not run", ShortCause.Of(Verdict.Unverified, false, null, "VerifyMarker: not run (evidence: 12-VerifyMarker/)"));
    }
}
