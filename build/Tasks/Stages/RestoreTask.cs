using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Stages;

[TaskDescription("abra app restore of this run's own snapshot, then wait until the app answers again")]
[IsDependentOn(typeof(MutateTask))]
[Rung(Rung.BackupRestore)]
public sealed class RestoreTask : PlannedStageTask<UsableBackup, HealthAnswer>
{
    protected override ResultSlot<UsableBackup> Needs => ResultSlots.Backup;
    protected override ResultSlot<HealthAnswer> Output => ResultSlots.RestoreHealth;

    protected override async Task<HealthAnswer?> RunStageAsync(RunParts run, RunPlan plan, UsableBackup backup, StageRecorder stage, CancellationToken ct) =>
        await run.Backup.RestoreAsync(plan, backup, stage, ct);
}
