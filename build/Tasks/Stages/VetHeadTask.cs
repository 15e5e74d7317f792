using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("The trust boundary over the head's tree and the env its deploy will use (the dependencies provisioned again when the head asks for new keys): refused if it reaches into the host")]
[IsDependentOn(typeof(CheckoutHeadTask))]
[Rung(Rung.Upgrade)]
public sealed class VetHeadTask : StageTask
{
    public override IReadOnlyList<ResultSlot> Reads => [ResultSlots.Plan, ResultSlots.HeadCheckout];
    /// <summary>Only a recipe with <c>depends:</c> has hooks to ask again.</summary>
    public override IReadOnlyList<ResultSlot> ReadsIfSet => [ResultSlots.Dependencies];
    public override ResultSlot Sets => ResultSlots.VettedHead;

    private protected override async Task<object?> ExecuteAsync(RunParts run, RunResults results, StageStop? lifted, StageRecorder stage, CancellationToken ct) =>
        await run.Vetting.VetHeadAsync(Input(results, ResultSlots.Plan), new StageInputs(results, ReadsIfSet).IfSet(ResultSlots.Dependencies), stage, ct);
}
