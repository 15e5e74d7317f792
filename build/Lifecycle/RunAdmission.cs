using RecipeCi.Evidence;
using RecipeCi.Machine;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>RunAdmission: before the first deploy, wait until the machine has what the recipe declares it needs.</summary>
public static class RunAdmission
{
    /// <summary>How the run was admitted; null (skipped) when there is nothing to compare.</summary>
    public static async Task<AdmissionResult?> AdmitAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        if (plan.FirstDeploy == FirstDeploy.None)
        {
            stage.Skip($"the run deploys nothing: {plan.Base.How}");
            return null;
        }
        if (run.Entry.Needs is not { } needs)
        {
            stage.Skip($"recipes.{run.Entry.Name} declares no needs (memory_mb, disk_mb) in the catalogue");
            return null;
        }
        if (run.Options.Server != "local")
        {
            stage.Skip($"server '{run.Options.Server}' is not this machine; admission reads this machine's memory and disk");
            return null;
        }
        var probe = await ResourceAdmission.LocalProbeAsync(run.Docker, ct);
        // Held until the first deploy converged (then MemAvailable shows what the app uses) or the run ends.
        var claim = new ReservationClaim(run.Reservations,
            new Reservation(run.Options.RunId, Environment.ProcessId, plan.Domain, needs.MemoryMb ?? 0, needs.DiskMb ?? 0, DateTimeOffset.UtcNow));
        var result = await ResourceAdmission.WaitAsync(needs, probe, ResourceAdmission.Budget, stage.Log, ct, claim: claim);
        stage.WriteJson("admission.json", result);
        if (!result.Admitted)
        {
            // The stage ends in error with its result: results.json shows the wait of a run that was not admitted too.
            stage.Evidence.Add("admission.json");
            stage.End(StageStatus.Error, result.Reason ?? "not admitted");
            return result;
        }
        var host = result.Host!;
        stage.Log($"admitted after {result.WaitedS:0.0}s{(result.Short.Count == 0 ? "" : $" (short meanwhile: {string.Join(", ", result.Short)})")}: " +
                  $"{host.MemoryAvailableMb} MB memory available, {host.DiskFreeMb} MB free under {host.DiskPath}, " +
                  $"{host.MemoryReservedMb} MB memory and {host.DiskReservedMb} MB disk reserved by other admitted runs; reserved its needs in {run.Reservations.PathFor(plan.Domain)}");
        return result;
    }
}
