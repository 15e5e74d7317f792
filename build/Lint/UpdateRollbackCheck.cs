using YamlDotNet.RepresentationModel;

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

    /// <summary>Judged on the merged service of each project: the update config and the start period may come from different files or a merge key.</summary>
    public static IEnumerable<LintFinding> Check(RecipeTree tree)
    {
        foreach (var project in tree.Projects)
            foreach (var service in project.Services.Select(s => s.View))
            {
                if (service.Get("deploy", "update_config", "order") is not YamlScalarNode { Value: "start-first" } order
                    || service.GetString("deploy", "update_config", "failure_action") != "rollback") continue;
                var startPeriod = service.GetString("healthcheck", "start_period");
                if (!ComposeDuration.TryParse(startPeriod, out var period) || period < SlowStart) continue;
                yield return LintRules.SlowStartFirstRollback.At(project.FileOf(order).Path, order,
                    $"services.{service.Name}: order start-first with failure_action rollback and a healthcheck start_period of {startPeriod}: " +
                    "old and new tasks run side by side that long, and a new task that fails the update monitor is rolled back while the old one keeps serving");
            }
    }
}
