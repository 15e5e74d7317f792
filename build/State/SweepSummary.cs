using System.Runtime.Serialization;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Reaping;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.State;

/// <summary>How a recipe's outcome moved since the last sweep that ran it.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Change
{
    /// <summary>Fails now, and passed last time or was never swept before: a regression.</summary>
    [EnumMember(Value = "newly_failing")] NewlyFailing,
    [EnumMember(Value = "newly_passing")] NewlyPassing,
    /// <summary>Failed last time too: reported, but not a regression.</summary>
    [EnumMember(Value = "still_failing")] StillFailing,
    [EnumMember(Value = "still_passing")] StillPassing,
    [EnumMember(Value = "first_pass")] FirstPass,
    [EnumMember(Value = "not_run")] NotRun,
}

public static class Changes
{
    /// <summary>
    /// A failure with no earlier sweep to compare with counts as newly failing: it was never seen
    /// green. A previous flaky outcome counts as passed: the recipe passed alone, so a failure now is news.
    /// </summary>
    public static Change Of(bool ran, bool passed, LastOutcome? previous) =>
        !ran ? Change.NotRun
        : previous is null ? (passed ? Change.FirstPass : Change.NewlyFailing)
        : previous.Verdict == Verdict.Passed || previous.Classification == Classification.Flaky ? (passed ? Change.StillPassing : Change.NewlyFailing)
        : passed ? Change.NewlyPassing : Change.StillFailing;
}

/// <summary>What the sweep did with a recipe's canonical record, and the record on disk afterwards (read back after a write).</summary>
public sealed record CanonicalOutcome(bool Written, string Note, CanonicalRecord? OnDisk);

/// <summary>One recipe's line of the sweep report.</summary>
public sealed class RecipeSweepResult
{
    public string Recipe { get; init; } = "";
    public string? Tag { get; init; }
    public string? Commit { get; init; }
    public bool Ran { get; init; }
    public string Decision { get; init; } = "";
    /// <summary>The run's verdict, <c>skipped</c> when not run, <c>error</c> when its process ended without a verdict.</summary>
    public Verdict Verdict { get; init; }
    public string? Reason { get; init; }
    /// <summary>The stage that stopped the run (null when it passed or never ran).</summary>
    public StageId? StoppedAt { get; init; }
    /// <summary>The reason in a few words (the sweep's short cause): where it stopped, the verdict, what failed; null for a pass.</summary>
    public string? Cause { get; init; }
    public int Level { get; init; }
    public Dictionary<Rung, RungStatus> Rungs { get; init; } = [];
    public int? ExitCode { get; init; }
    /// <summary>The sweep got no verdict: the process crashed (no results, or an exit code no verdict gives) or the tags were unreadable.</summary>
    public bool NoVerdict { get; init; }
    public double WallS { get; init; }
    /// <summary>Wall time not spent in docker, abra or git commands nor in waits on swarm.</summary>
    public double? HarnessOverheadS { get; init; }
    /// <summary>Seconds the run's Teardown stage took (null when it never got there).</summary>
    public double? TeardownS { get; init; }
    /// <summary>The run's evidence folder and the process's console log, relative to the sweep folder.</summary>
    public string? Evidence { get; init; }
    public string? Log { get; init; }
    public Verdict? PreviousVerdict { get; init; }
    public Change Change { get; init; }
    public required CanonicalOutcome Canonical { get; init; }
    /// <summary>The run's custom checks that passed, and those that ran and failed.</summary>
    public List<string> PassedChecks { get; init; } = [];
    public List<string> FailedChecks { get; init; } = [];
    /// <summary>What the isolation re-runs said of a red run; null when it was not re-run.</summary>
    [JsonProperty] public Classification? Classification { get; private set; }
    /// <summary>The isolation re-runs, each with its own evidence and log.</summary>
    [JsonProperty] public List<ConfirmationRun> Confirmations { get; private set; } = [];
    /// <summary>The newest sweeps that ran the recipe, this one included, oldest first: its history strip as of this sweep.</summary>
    [JsonProperty] public List<SweepHistoryEntry> History { get; private set; } = [];
    /// <summary>Failed checks that never passed in any sweep of the recipe: marked <c>stale?</c> on the sweep page.</summary>
    [JsonProperty] public List<string> StaleChecks { get; private set; } = [];

    public bool Passed => Verdict == Verdict.Passed;
    public bool Flaky => Classification == State.Classification.Flaky;
    /// <summary>An app the recipe needs did not install or provision: an error of the run, never the recipe's.</summary>
    public bool DependencyError => Verdict == Verdict.Error && StoppedAt == StageId.Dependencies;
    /// <summary>A flaky recipe passed alone: listed as flaky, not counted as a breakage; nor is a dependency's error.</summary>
    public bool Regressed => (Change == Change.NewlyFailing || NoVerdict) && !Flaky && !DependencyError;

    public RecipeSweepResult Confirmed(Classification classification, List<ConfirmationRun> reruns)
    {
        var confirmed = (RecipeSweepResult)MemberwiseClone();
        confirmed.Classification = classification;
        confirmed.Confirmations = reruns;
        return confirmed;
    }

    /// <summary>The line with its strip, and its failed checks that the recipe's whole history never saw pass.</summary>
    public RecipeSweepResult WithHistory(SweepHistory history)
    {
        var charted = (RecipeSweepResult)MemberwiseClone();
        charted.History = [.. history.Strip()];
        charted.StaleChecks = [.. history.NeverPassed(FailedChecks)];
        return charted;
    }
}

/// <summary><c>summary.json</c> of a sweep (schema 1).</summary>
public sealed class SweepSummary
{
    public const string FileName = "summary.json";

    /// <summary>"1 recipe", "3 recipes": for the lines a sweep prints and writes.</summary>
    public static string CountOf(int recipes) => recipes == 1 ? "1 recipe" : $"{recipes} recipes";

    public int Schema { get; init; } = 1;
    public string SweepId { get; init; } = "";
    public string Catalog { get; init; } = "";
    public string Shard { get; init; } = "";
    public int Parallel { get; init; }
    /// <summary>Isolation re-runs per red recipe (--confirm).</summary>
    public int Confirm { get; init; }
    public bool Forced { get; init; }
    public string StateDir { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public double WallS { get; init; }
    /// <summary>The janitor's pass over the sweep's lock folder before any recipe ran.</summary>
    public required JanitorPass Janitor { get; init; }
    public List<RecipeSweepResult> Recipes { get; init; } = [];
    public List<string> Regressions => Recipes.Where(r => r.Regressed).Select(r => r.Recipe).ToList();
    public List<string> NewlyPassing => Recipes.Where(r => r.Change == Change.NewlyPassing).Select(r => r.Recipe).ToList();
    public List<string> Flaky => Recipes.Where(r => r.Flaky).Select(r => r.Recipe).ToList();
    /// <summary>
    /// 0 nothing regressed, 1 a recipe newly fails or got no verdict and did not pass alone, or the
    /// janitor's pass left a dead run's stack behind or failed: harness trouble, like a recipe
    /// process without a verdict, that an operator must see, though the recipes were still tested.
    /// </summary>
    public int ExitCode => Regressions.Count > 0 || !Janitor.Clean ? 1 : 0;

    public static SweepSummary Read(string path) =>
        JsonConvention.Read<SweepSummary>(path);
}
