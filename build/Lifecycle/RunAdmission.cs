using RecipeCi.Machine;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// RunAdmission: before the first deploy, wait until the machine has what the recipe declares it
/// needs, and reserve it. The reservation is this run's until it gives it back: once the first
/// deploy converged, or when the run ends, however it ends.
/// </summary>
public sealed class RunAdmission(RunInputs inputs, RecipeEntry entry, DockerCli docker, ReservationBook reservations, TimeProvider clock)
{
    /// <summary>The domain this run holds a reservation for, once admitted.</summary>
    private string? _reserved;

    /// <summary>How the run was admitted (with an error status when it was not); null (skipped) when there is nothing to compare.</summary>
    public async Task<AdmissionResult?> AdmitAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        if (plan.FirstDeploy == FirstDeploy.None)
        {
            stage.Skip($"the run deploys nothing: {plan.Base.How}");
            return null;
        }
        if (entry.Needs is not { } needs)
        {
            stage.Skip($"recipes.{entry.Name} declares no needs (memory_mb, disk_mb) in the catalogue");
            return null;
        }
        if (inputs.Server != "local")
        {
            stage.Skip($"server '{inputs.Server}' is not this machine; admission reads this machine's memory and disk");
            return null;
        }
        var probe = await new HostResourceProbe(docker).LocalAsync(ct);
        // Held until the first deploy converged (then MemAvailable shows what the app uses) or the run ends.
        var claim = new ReservationClaim(reservations,
            new Reservation(inputs.RunId, Environment.ProcessId, plan.Domain, needs.MemoryMb ?? 0, needs.DiskMb ?? 0, clock.GetUtcNow()));
        var result = await ResourceAdmission.WaitAsync(needs, probe, ResourceAdmission.Budget, clock, stage.Log, ct, claim: claim);
        stage.WriteJson("admission.json", result);
        if (!result.Admitted)
        {
            // The stage ends in error with its result: results.json shows the wait of a run that was not admitted too.
            stage.Evidence.Add("admission.json");
            stage.End(StageStatus.Error, result.Reason ?? "not admitted");
            return result;
        }
        _reserved = plan.Domain;
        var host = result.Host!;
        stage.Log($"admitted after {result.WaitedS:0.0}s{(result.Short.Count == 0 ? "" : $" (short meanwhile: {string.Join(", ", result.Short)})")}: " +
                  $"{host.MemoryAvailableMb} MB memory available, {host.DiskFreeMb} MB free under {host.DiskPath}, " +
                  $"{host.MemoryReservedMb} MB memory and {host.DiskReservedMb} MB disk reserved by other admitted runs; reserved its needs in {reservations.PathFor(plan.Domain)}");
        return result;
    }

    /// <summary>Gives back what admission reserved, once: after the first deploy converged, or when the run ends.</summary>
    public void ReleaseReservation(Action<string> log)
    {
        if (_reserved is { } domain && reservations.Release(domain))
            log($"released the resources admission reserved for {domain}");
    }
}
