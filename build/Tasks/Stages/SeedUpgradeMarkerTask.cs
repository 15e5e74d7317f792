using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("Upgrade rung: write a data marker on the healthy base (the catalogue's backup marker, else a file in a volume of the health service), which must survive the upgrade")]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[Rung(Rung.Upgrade)]
public sealed class SeedUpgradeMarkerTask : PlannedStageTask<UpgradeMarker>
{
    protected override ResultSlot<UpgradeMarker> Output => ResultSlots.UpgradeMarker;

    protected override Task<UpgradeMarker?> RunStageAsync(RunParts run, RunPlan plan, StageRecorder stage, CancellationToken ct) =>
        run.Continuity.SeedAsync(plan, stage, ct);
}
