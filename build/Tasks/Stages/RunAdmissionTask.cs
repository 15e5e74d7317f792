using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Machine;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Wait (bounded) until the machine has the memory and disk the recipe declares it needs")]
[IsDependentOn(typeof(FetchRecipeTask))]
public sealed class RunAdmissionTask : PlannedStageTask<AdmissionResult>
{
    protected override ResultSlot<AdmissionResult> Output => ResultSlots.Admission;

    protected override Task<AdmissionResult?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        run.RunAdmission.AdmitAsync(plan, stage, ct);
}
