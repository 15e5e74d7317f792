using RecipeCi.Abra;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The head installed afresh after its upgrade failed, and the upgrade stage it stands in for.</summary>
public sealed record ColdHeadInstall(StageId AfterFailed);

/// <summary>
/// ColdInstallHead: when the upgrade rung failed, one red rung must not hide the others. The stack
/// is torn down and the head installed cold (a fresh app, env and secrets at the exact ref, its
/// install hook, vetting, deploy, convergence and health, as the Install target does), so that
/// backup/restore and custom checks still get results of their own. The verdict stays the
/// upgrade's; only the stop is lifted. A head the trust boundary refused is never deployed.
/// </summary>
public sealed class ColdInstallHead(
    RecipeEntry entry, IAbra abra, DockerCli docker, RunTimeline timeline, RecipeVetting vetting, AppDeployer deployer, ConvergenceStage converger, HealthProbe health,
    TimeProvider clock)
{
    /// <summary>The rungs after the upgrade that need a deployed app.</summary>
    private static readonly Rung[] Later = [Rung.BackupRestore, Rung.Custom];

    /// <summary>
    /// The rungs a cold install of the head would serve after <paramref name="stop"/> stopped the
    /// run: the later rungs the run plans and the recipe does not declare not applicable, when the
    /// stop is an upgrade stage's failure other than a refusal and the run was not asked to stop.
    /// None means the stop stays.
    /// </summary>
    public static IReadOnlyList<Rung> RungsServed(StageStop stop, IReadOnlySet<Rung> planned, IEnumerable<Rung> notApplicable, bool stopping) =>
        stop is { Rung: Rung.Upgrade, Status: not StageStatus.Refused } && !stopping
            ? Later.Where(r => planned.Contains(r) && !notApplicable.Contains(r)).ToList()
            : [];

    /// <summary>Whether a cold install of the head lifts <paramref name="stop"/>: it serves a later rung of this run.</summary>
    public bool Lifts(StageStop stop, RunPlan plan, bool stopping) => RungsServed(stop, plan.Rungs, entry.NotApplicable.Keys, stopping).Count > 0;

    /// <summary>Installs the head cold after <paramref name="lifted"/>, the upgrade stage whose stop was lifted; skipped when nothing stopped the run.</summary>
    public async Task<ColdHeadInstall?> RunAsync(RunPlan plan, StageStop? lifted, StageRecorder stage, CancellationToken ct)
    {
        if (lifted is null)
        {
            stage.Skip("the upgrade passed: backup/restore and custom checks test the upgraded app");
            return null;
        }
        var rungs = Rungs.Words(RungsServed(lifted, plan.Rungs, entry.NotApplicable.Keys, stopping: false));
        stage.Log($"the upgrade stopped at {lifted.Stage} ({lifted.Status.Word()}): tearing the stack down and installing the head {plan.ShortHead} cold, so that {rungs} still get results of their own");
        timeline.Decided($"upgrade {lifted.Status.Word()}: install the head cold for {rungs}", held: false, clock.GetUtcNow());

        var removal = await AppRemoval.RemoveAsync(abra, docker, plan.Domain, plan.Stack, clock, stage.Log, ct);
        timeline.Removed($"removed the stack {plan.Stack} for the cold install", clock.GetUtcNow());
        stage.WriteJson("removal.json", new { leaked = removal.Leaked, killed = removal.Killed, swept_by_docker = removal.Swept, problems = removal.Problems });
        if (removal.Leaked.Count > 0)
        {
            stage.Evidence.Add("removal.json");
            throw new StageFailure(StageStatus.Error,
                $"the failed upgrade's stack could not be cleared for a cold install, expected nothing of {plan.Stack} left: {string.Join(", ", removal.Leaked)} remain (removal.json)");
        }

        var head = plan with { FirstDeploy = FirstDeploy.Head, PreviousOverlayFile = null };
        await vetting.VetFirstAsync(head, stage, ct);
        var deployment = await deployer.DeployFirstAsync(head, stage, ct);
        await converger.AwaitAsync(head, deployment, DeployPhase.Install, stage, ct);
        await health.AwaitAsync(head, stage, DeployPhase.Install, ct);
        stage.Log($"the head {plan.ShortHead} installed cold and answers: {rungs} run against it");
        return new ColdHeadInstall(lifted.Stage);
    }
}
