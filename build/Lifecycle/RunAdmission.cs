using RecipeCi.Evidence;
using RecipeCi.Machine;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>AdmitRun: before the first deploy, wait until the machine has what the recipe declares it needs.</summary>
public static class RunAdmission
{
    public static async Task AdmitAsync(RecipeRun run, StageRecorder stage, CancellationToken ct)
    {
        if (run.FirstDeploy == FirstDeploy.None)
        {
            stage.Skip($"the run deploys nothing: {run.Base?.How}");
            return;
        }
        if (run.Entry.Needs is not { } needs)
        {
            stage.Skip($"recipes.{run.Entry.Name} declares no needs (memory_mb, disk_mb) in the catalogue");
            return;
        }
        if (run.Options.Server != "local")
        {
            stage.Skip($"server '{run.Options.Server}' is not this machine; admission reads this machine's memory and disk");
            return;
        }
        var probe = await ResourceAdmission.LocalProbeAsync(run.Docker, ct);
        var result = await ResourceAdmission.WaitAsync(needs, probe, ResourceAdmission.Budget, stage.Log, ct);
        run.Result.Admission = result;
        stage.WriteJson("admission.json", result);
        if (!result.Admitted)
        {
            stage.Evidence.Add("admission.json");
            throw new StageFailure(StageStatus.Error, result.Reason!);
        }
        var host = result.Host!;
        stage.Log($"admitted after {result.WaitedS:0.0}s{(result.Short.Count == 0 ? "" : $" (short meanwhile: {string.Join(", ", result.Short)})")}: " +
                  $"{host.MemoryAvailableMb} MB memory available, {host.DiskFreeMb} MB free under {host.DiskPath}");
    }
}
