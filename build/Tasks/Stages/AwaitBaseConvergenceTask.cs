using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Wait until the first deploy converged, then check what runs: the base's version label, or the head's stamp")]
[IsDependentOn(typeof(DeployBaseTask))]
[Rung(Rung.Install)]
[WaitsOnSwarm]
public sealed class AwaitBaseConvergenceTask : PlannedStageTask<FirstDeployment, ConvergenceVerdict>
{
    protected override ResultSlot<FirstDeployment> Needs => ResultSlots.FirstDeployment;
    protected override ResultSlot<ConvergenceVerdict> Output => ResultSlots.BaseConvergence;

    protected override bool JudgesFirstDeploy => true;

    protected override async Task<ConvergenceVerdict?> RunStageAsync(RunParts run, RunPlan plan, FirstDeployment deployment, StageRecorder stage, CancellationToken ct)
    {
        var verdict = await run.Converger.AwaitAsync(plan, deployment, plan.FirstPhase, stage, ct);
        // The deployed app now shows in MemAvailable: holding its reservation too would count it twice.
        run.RunAdmission.ReleaseReservation(stage.Log);
        return verdict;
    }
}
