using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Browser;

/// <summary>
/// A sweep at its widest: long recipe names and releases, a reason of 600 characters, full history
/// strips, re-runs, every verdict and rung status. What the sweep page must still fit on a laptop.
/// </summary>
internal static class SweepPageSample
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-09-06T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private const string StageReason =
        "swarm rolled the head back: app: swarm rollback started: update rolled back due to failure or early termination of task " +
        "g1524j79ptnkg4xwau369rrfo [task error: exited: task g1524j79ptnk failed: task: non-zero exit (3): exit code 3] (the other services: db 0/1 " +
        "running on the current spec, update updating (latest task ready); worker 2/2 running on the current spec; cron 1/1 running on the current spec; " +
        "search 0/1 running on the current spec, update updating). Forensics: convergence.json, tasks.json, services.json, logs/, host-memory.txt, " +
        "host-disk.txt; the timeline: report.html";

    private const string LongReason = "AwaitHeadConvergence: " + StageReason + " (evidence: 08-AwaitHeadConvergence/)";

    private static readonly StageResult Stopped = new()
    {
        Name = "AwaitHeadConvergence", Rung = Rung.Upgrade, Status = StageStatus.RolledBack, Reason = StageReason, Folder = "08-AwaitHeadConvergence",
    };

    private const string Crashed = "its process exited 134 without results.json; last output: Unhandled exception. System.IO.IOException: No space left on device " +
                                   "at RecipeCi.Files.AtomicFile.Replace(String path, String text) | at RecipeCi.Lifecycle.RunReport.Write(RecipeRun run)";

    private static List<SweepHistoryEntry> History(int count, Func<int, Verdict> verdict) =>
        [.. Enumerable.Range(0, count).Select(week => new SweepHistoryEntry($"2026-w{week + 36}-a1b2", T0.AddDays(7 * week), verdict(week), 2, "10.2.3+1.21.0"))];

    private static RecipeSweepResult Line(string recipe, Verdict verdict, Change change, string? cause, string? reason, List<SweepHistoryEntry> history,
        bool noVerdict = false) => new RecipeSweepResult
        {
            Recipe = recipe, Tag = "10.2.3+1.21.0-alpine3.19-bookworm", Ran = verdict != Verdict.Skipped, Verdict = verdict, Change = change,
            NoVerdict = noVerdict, Level = verdict == Verdict.Passed ? 5 : 1, Cause = cause, Reason = reason,
            Rungs = new() { [Rung.Install] = RungStatus.Pass, [Rung.Upgrade] = verdict == Verdict.Passed ? RungStatus.Pass : RungStatus.Fail,
                [Rung.BackupRestore] = RungStatus.Gap, [Rung.Custom] = RungStatus.Unverified, [Rung.Lint] = RungStatus.Skip },
            Evidence = $"../../runs/2026-w47-a1b2/{recipe}", Log = $"logs/{recipe}.log",
            Canonical = new(false, "not written: the verdict is " + verdict.Word() + " (state in /var/lib/recipe-ci/state/canonical/" + recipe + ".json)", null),
        }.WithHistory(new SweepHistory(recipe, history));

    public static SweepSummary Summary() => new()
    {
        SweepId = "2026-w47-a1b2", Shard = "2/3", Parallel = 4, Confirm = 1, WallS = 1234.5,
        Janitor = new(2, 1, 1, 1, 0, 0, [], 0.8, "../../janitor/janitor-2026-w47-a1b2.json"),
        Recipes =
        [
            Line("a-recipe-whose-name-is-longer-than-any-column-could-hold-for-it", Verdict.RolledBack, Change.NewlyFailing,
                    ShortCause.Of(Verdict.RolledBack, false, Stopped, LongReason), LongReason, History(12, w => w % 3 == 0 ? Verdict.Passed : Verdict.RolledBack))
                .Confirmed(Classification.Deterministic, [new(1, Verdict.RolledBack, StageId.AwaitHeadConvergence, LongReason, 1, false, 61.2,
                    "../../runs/2026-w47-a1b2-confirm1/a-recipe-whose-name-is-longer-than-any-column-could-hold-for-it", "logs/x.confirm1.log")]),
            Line("keycloak", Verdict.Passed, Change.NewlyPassing, null, null, History(12, w => w < 6 ? Verdict.Failed : Verdict.Passed)),
            Line("nextcloud", Verdict.Error, Change.NewlyFailing, ShortCause.Of(Verdict.Error, true, null, Crashed), Crashed, History(3, _ => Verdict.Error),
                noVerdict: true),
            Line("matrix-synapse", Verdict.Failed, Change.StillFailing, "custom failed: 3 of 7 custom checks failed: login: HTTP 500 from https://matrix-synapse-long-domain.example",
                    LongReason, History(7, _ => Verdict.Failed))
                .Confirmed(Classification.Flaky, [new(1, Verdict.Passed, null, null, 0, false, 40, "../../runs/2026-w47-a1b2-confirm1/matrix-synapse", "logs/m.confirm1.log")]),
            Line("gitea", Verdict.Skipped, Change.NotRun, "no new version: 1.21.0 is canonical since 2026-11-15 04:12Z (run 2026-w46-ffee)",
                "no new version: 1.21.0 is canonical since 2026-11-15 04:12Z (run 2026-w46-ffee); --force runs it", []),
        ],
    };
}
