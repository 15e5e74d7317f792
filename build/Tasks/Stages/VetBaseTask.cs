using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("abra app new, the app's env and the install hook (no swarm yet), then the trust boundary over the tree and env the first deploy will use: refused if it reaches into the host")]
[IsDependentOn(typeof(RunAdmissionTask))]
[Rung(Rung.Install)]
public sealed class VetBaseTask : PlannedStageTask<VettedBase>
{
    protected override ResultSlot<VettedBase> Output => ResultSlots.VettedBase;

    protected override bool JudgesFirstDeploy => true;

    protected override async Task<VettedBase?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        await run.Vetting.VetFirstAsync(plan, stage, ct);
}
