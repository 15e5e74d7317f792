using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Support;

/// <summary>A run whose CustomChecks stage kept a browser check's two screenshots, beside a check that keeps none.</summary>
public static class ScreenshotRun
{
    public const string Stage = "21-CustomChecks";
    public static readonly string[] Shots = ["checks/admin-logs-in/logged-in.png", "checks/admin-logs-in/failure.png"];

    public static RunResult Of(RunResult run) => new()
    {
        RunId = run.RunId, Recipe = run.Recipe, Verdict = run.Verdict, Level = run.Level, Rungs = run.Rungs,
        Stages =
        [
            new StageResult
            {
                Name = "CustomChecks", Folder = Stage, Status = StageStatus.Failed,
                Checks = [new CheckResult("home page greets", true, "/ answered 200", 0.1), new CheckResult("admin logs in", false, "step 5 of 7 failed", 11.2) { Screenshots = Shots }],
            },
        ],
    };
}
