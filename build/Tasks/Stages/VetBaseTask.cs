using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("abra app new, the app's env (with what the dependencies provisioned) and the install hook (no swarm yet), then the trust boundary over the tree and env the first deploy will use: refused if it reaches into the host")]
[IsDependentOn(typeof(DependenciesTask))]
[Rung(Rung.Install)]
public sealed class VetBaseTask : StageTask
{
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan];
    /// <summary>Only a recipe with <c>depends:</c> has its dependencies' values to wire in.</summary>
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.Dependencies];
    public override ResultSlot Sets => ResultSlots.VettedBase;

    protected override bool JudgesFirstDeploy => true;

    private protected override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await run.Vetting.VetFirstAsync(Input(results, ResultSlots.Plan),
            new StageInputs(results, ReadsIfSet).IfSet(ResultSlots.Dependencies)?.Provisioned ?? Provisioned.Nothing, stage, ct);
}
