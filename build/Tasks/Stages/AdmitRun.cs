using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Lifecycle;

namespace RecipeCi.Tasks.Stages;

[TaskName("AdmitRun")]
[TaskDescription("Wait (bounded) until the machine has the memory and disk the recipe declares it needs")]
[IsDependentOn(typeof(FetchRecipeTask))]
public sealed class AdmitRunTask : StageTask
{
    protected override Task RunStageAsync(RecipeRun run, StageRecorder stage, CancellationToken ct) => RunAdmission.AdmitAsync(run, stage, ct);
}
