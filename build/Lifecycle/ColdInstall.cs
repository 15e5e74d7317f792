using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The head installed afresh after its upgrade failed, and the upgrade stage it stands in for.</summary>
public sealed record ColdHeadInstall(string AfterFailed);

/// <summary>
/// ColdInstallHead: when the upgrade rung failed, one red rung must not hide the others. The stack
/// is torn down and the head installed cold (a fresh app, env and secrets at the exact ref, its
/// install hook, vetting, deploy, convergence and health, as the Install target does), so that
/// backup/restore and custom checks still get results of their own. The verdict stays the
/// upgrade's; only the stop is lifted. A head the trust boundary refused is never deployed.
/// </summary>
public static class ColdInstall
{
    public const string StageName = "ColdInstallHead";

    /// <summary>Whether the later rungs of this run were tried on the head installed cold.</summary>
    public static bool Served(RunResult result) => result.Stages.Any(s => s.Name == StageName && s.Status == StageStatus.Passed);

    /// <summary>The rungs after the upgrade that need a deployed app.</summary>
    private static readonly Rung[] Later = [Rung.BackupRestore, Rung.Custom];

    /// <summary>The upgrade stage that stopped the run, when a cold install of the head can still give later rungs a result; else null.</summary>
    public static StageRecorder? FailedUpgrade(RecipeRun run, RunPlan plan, CancellationToken ct) =>
        run.Stages.Blocker is { Kind.Rung: Rung.Upgrade, Status: not StageStatus.Refused } failed
        && !ct.IsCancellationRequested && LaterRungs(run, plan).Count > 0
            ? failed : null;

    private static List<Rung> LaterRungs(RecipeRun run, RunPlan plan) =>
        Later.Where(r => plan.Rungs.Contains(r) && !run.Entry.NotApplicable.ContainsKey(r)).ToList();

    public static async Task<ColdHeadInstall?> RunAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        if (FailedUpgrade(run, plan, ct) is not { } failed)
        {
            stage.Skip("the upgrade passed: backup/restore and custom checks test the upgraded app");
            return null;
        }
        // From here this stage decides whether the rest runs: if it fails, they name it.
        run.Stages.Lift();
        var rungs = Rungs.Words(LaterRungs(run, plan));
        stage.Log($"the upgrade stopped at {failed.Name} ({failed.Status.Word()}): tearing the stack down and installing the head {plan.ShortHead} cold, so that {rungs} still get results of their own");
        run.Timeline.Decided($"upgrade {failed.Status.Word()}: install the head cold for {rungs}", DateTimeOffset.UtcNow);

        var removal = await AppRemoval.RemoveAsync(run.Abra, run.Docker, plan.Domain, plan.Stack, stage.Log, ct);
        run.Timeline.Removed($"removed the stack {plan.Stack} for the cold install", DateTimeOffset.UtcNow);
        stage.WriteJson("removal.json", new { leaked = removal.Leaked, killed = removal.Killed, swept_by_docker = removal.Swept, problems = removal.Problems });
        if (removal.Leaked.Count > 0)
        {
            stage.Evidence.Add("removal.json");
            throw new StageFailure(StageStatus.Error,
                $"the failed upgrade's stack could not be cleared for a cold install, expected nothing of {plan.Stack} left: {string.Join(", ", removal.Leaked)} remain (removal.json)");
        }

        var head = plan with { FirstDeploy = FirstDeploy.Head, PreviousOverlayFile = null };
        await RecipeVetting.VetFirstAsync(run, head, stage, ct);
        var deployment = await AppDeployer.DeployFirstAsync(run, head, stage, ct);
        await ConvergenceStage.AwaitAsync(run, head, deployment, DeployPhase.Install, stage, ct);
        await HealthProbe.AwaitAsync(run, head, stage, DeployPhase.Install, ct);
        stage.Log($"the head {plan.ShortHead} installed cold and answers: {rungs} run against it");
        return new ColdHeadInstall(failed.Name);
    }
}
