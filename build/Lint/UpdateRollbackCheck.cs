namespace RecipeCi.Lint;

/// <summary>
/// L001, the seeds' latent signature (discourse): start-first keeps the old task serving while the
/// new one starts, so health probes pass on the old spec; with a long start period the two run side
/// by side (twice the memory) for that long, and a new task that fails swarm's update monitor is
/// rolled back silently to the previous spec.
/// </summary>
public static class UpdateRollbackCheck
{
    public static readonly TimeSpan SlowStart = TimeSpan.FromMinutes(1);

    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var (file, service) in tree.Services)
        {
            if (service.GetString("deploy", "update_config", "order") != "start-first"
                || service.GetString("deploy", "update_config", "failure_action") != "rollback") continue;
            var startPeriod = service.GetString("healthcheck", "start_period");
            if (!ComposeDuration.TryParse(startPeriod, out var period) || period < SlowStart) continue;
            yield return LintRules.SlowStartFirstRollback.At(file.Path, service.Get("deploy", "update_config", "order"),
                $"services.{service.Name}: order start-first with failure_action rollback and a healthcheck start_period of {startPeriod}: " +
                "old and new tasks run side by side that long, and a new task that fails the update monitor is rolled back while the old one keeps serving");
        }
    }
}
