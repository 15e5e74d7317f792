using RecipeCi.Abra;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The head installed afresh after its upgrade failed or its base would not install, and the stage it stands in for.</summary>
public sealed record ColdHeadInstall(StageId AfterFailed);

/// <summary>
/// ColdInstallHead: when the upgrade rung failed, or the base release would not install, one red
/// rung must not hide the others. The stack is torn down and the head installed cold (a fresh app,
/// env and secrets at the exact ref, its install hook, vetting, deploy, convergence and health, as
/// the Install target does), so that install, backup/restore and custom checks still get results
/// of their own, about the head. The verdict stays the first failure's; only the stop is lifted.
/// A head the trust boundary refused is never deployed.
/// </summary>
public sealed class ColdInstallHead(
    RecipeEntry entry, IAbra abra, DockerCli docker, RunTimeline timeline, RecipeVetting vetting, AppDeployer deployer, ConvergenceStage converger, HealthProbe health,
    TimeProvider clock)
{
    /// <summary>The rungs after the upgrade that need a deployed app.</summary>
    private static readonly Rung[] Later = [Rung.BackupRestore, Rung.Custom];

    /// <summary>
    /// The rungs a cold install of the head would serve after <paramref name="stop"/> stopped the
    /// run, unless the run was asked to stop: after an upgrade stage's failure other than a
    /// refusal, the later rungs the run plans and the recipe does not declare not applicable; after
    /// a broken baseline, the install rung too (the head is always tried; the upgrade stays
    /// unverified). None means the stop stays.
    /// </summary>
    public static IReadOnlyList<Rung> RungsServed(StageStop stop, IReadOnlySet<Rung> planned, IEnumerable<Rung> notApplicable, bool stopping)
    {
        if (stopping) return [];
        IEnumerable<Rung> served = stop switch
        {
            { Rung: Rung.Upgrade, Status: not StageStatus.Refused } => Later,
            { Status: StageStatus.BaselineBroken } => [Rung.Install, .. Later],
            _ => [],
        };
        return served.Where(r => planned.Contains(r) && !notApplicable.Contains(r)).ToList();
    }

    /// <summary>Whether a cold install of the head lifts <paramref name="stop"/>: it serves a rung of this run.</summary>
    public bool Lifts(StageStop stop, RunPlan plan, bool stopping) => RungsServed(stop, plan.Rungs, entry.NotApplicable.Keys, stopping).Count > 0;

    /// <summary>
    /// Whether a fresh install of the head for the end's custom checks lifts <paramref name="stop"/>:
    /// a backup/restore stage stopped the run and the run plans custom checks. The marker was
    /// written into the app's data and the backup and restore hooks ran inside it, so after any
    /// failure of that rung the data may be damaged: the checks get a fresh app, not that one.
    /// </summary>
    public bool LiftsForChecks(StageStop stop, RunPlan plan, bool stopping) =>
        !stopping && stop.Rung == Rung.BackupRestore && plan.Rungs.Contains(Rung.Custom) && !entry.NotApplicable.ContainsKey(Rung.Custom);

    /// <summary>Installs the head cold after <paramref name="lifted"/>, the upgrade or base stage whose stop was lifted; skipped when nothing stopped the run.</summary>
    public async Task<ColdHeadInstall?> RunAsync(RunPlan plan, Provisioned provisioned, StageStop? lifted, StageRecorder stage, CancellationToken ct)
    {
        if (lifted is null)
        {
            stage.Skip("the upgrade passed: backup/restore and custom checks test the upgraded app");
            return null;
        }
        var rungs = Rungs.Words(RungsServed(lifted, plan.Rungs, entry.NotApplicable.Keys, stopping: false));
        var what = lifted.Rung == Rung.Upgrade ? "upgrade" : "base";
        // The head's own rollback already named how it fails: the same failure here is the answer, not a reason to wait.
        var knownCause = lifted.Status == StageStatus.RolledBack ? lifted.Failure : null;
        await InstallAsync(plan, provisioned, lifted, $"the {what} stopped", $"{what} {lifted.Status.Word()}", rungs, knownCause, stage, ct);
        return new ColdHeadInstall(lifted.Stage);
    }

    /// <summary>Installs the head afresh for the end's custom checks after <paramref name="lifted"/>, the backup/restore stage whose stop was lifted; skipped when nothing stopped the run.</summary>
    public async Task<ColdHeadInstall?> ReinstallForChecksAsync(RunPlan plan, Provisioned provisioned, StageStop? lifted, StageRecorder stage, CancellationToken ct)
    {
        if (lifted is null)
        {
            stage.Skip("backup and restore passed: the end's custom checks ask the restored app");
            return null;
        }
        await InstallAsync(plan, provisioned, lifted, "backup and restore stopped, so the app's data may be damaged", $"backup_restore {lifted.Status.Word()}",
            Rung.Custom.Word(), null, stage, ct);
        return new ColdHeadInstall(lifted.Stage);
    }

    private async Task InstallAsync(RunPlan plan, Provisioned provisioned, StageStop lifted, string why, string decision, string rungs, FailedService? knownCause,
        StageRecorder stage, CancellationToken ct)
    {
        stage.Log($"{why} at {lifted.Stage} ({lifted.Status.Word()}): tearing the stack down and installing the head {plan.ShortHead} cold, so that {rungs} still get results of their own");
        timeline.Decided($"{decision}: install the head cold for {rungs}", held: false, clock.GetUtcNow());

        var removal = await new AppRemoval(docker, clock, stage.Log).RemoveAsync(abra, plan.Domain, plan.Stack, ct);
        timeline.Removed($"removed the stack {plan.Stack} for the cold install", clock.GetUtcNow());
        stage.WriteJson("removal.json", new { leaked = removal.Leaked, killed = removal.Killed, swept_by_docker = removal.Swept, problems = removal.Problems });
        if (removal.Leaked.Count > 0)
        {
            stage.Evidence.Add("removal.json");
            throw new StageFailure(StageStatus.Error,
                $"the stack could not be cleared for a cold install, expected nothing of {plan.Stack} left: {string.Join(", ", removal.Leaked)} remain (removal.json)");
        }

        var head = plan with { FirstDeploy = FirstDeploy.Head, PreviousOverlayFile = null };
        await vetting.VetFirstAsync(head, provisioned, stage, ct);
        var deployment = await deployer.DeployFirstAsync(head, provisioned, stage, ct);
        await converger.AwaitAsync(head, deployment, DeployPhase.Install, stage, ct, knownCause);
        await health.AwaitAsync(head, stage, DeployPhase.Install, ct);
        stage.Log($"the head {plan.ShortHead} installed cold and answers: {rungs} run against it");
    }
}
