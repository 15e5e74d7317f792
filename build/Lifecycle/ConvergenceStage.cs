using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// AwaitBaseConvergence / AwaitHeadConvergence: judges the deploy just made, writes what it saw,
/// and on anything but convergence the forensics a maintainer needs.
/// </summary>
public sealed class ConvergenceStage(
    RecipeEntry entry, RunFolders folders, ConvergenceWatcher watcher, DockerCli docker, TimeProvider clock, RunTimeline timeline, Forensics forensics, HeadIdentityCheck identity)
{
    /// <param name="knownCause">How this head already failed (its upgrade's rollback): a task failing so again ends the wait at once.</param>
    public async Task<ConvergenceVerdict> AwaitAsync(RunPlan plan, Deployment deployment, DeployPhase phase, StageRecorder stage, CancellationToken ct,
        FailedService? knownCause = null)
    {
        var project = folders.AppEnv(plan).Project(plan.Stack);
        var services = project.Services.Select(s => s.Name).ToList();
        // The recipe's own timeout label (what abra would wait) or the catalogue's, whichever is longer.
        var label = project.Files.Select(c => c.TimeoutLabel(project.Values)).FirstOrDefault(t => t is not null);
        var budget = TimeSpan.FromSeconds(Math.Max(label ?? 0, entry.Timeouts.Deploy));
        stage.Log($"waiting up to {budget.TotalSeconds:0}s for {string.Join(", ", services)} to converge");

        var request = new ConvergenceRequest(plan.Stack.Value, services, budget)
        {
            Before = deployment.Before,
            Labels = DeployedLabels.Of(project, plan.Stack),
            KnownCause = knownCause,
        };
        if (knownCause is not null) stage.Log($"the upgrade rolled back on {knownCause.Brief}: the first task of {knownCause.Service} that fails so again ends the wait");
        var verdict = await watcher.WaitAsync(request, ct);
        var pruned = verdict.Outcome == ConvergenceOutcome.Converged ? await new StackResources(docker, plan.Stack, clock, stage.Log).PruneUndeclaredAsync(services, ct) : [];
        if (pruned.Count > 0) stage.Log($"removed services the deploy no longer declares: {string.Join(", ", pruned)}");
        stage.WriteJson("convergence.json", new
        {
            outcome = verdict.Outcome,
            verdict.Summary,
            services = verdict.Services.Select(s => new { s.Service, outcome = s.Outcome, s.Detail, s.UpdateState, s.TaskError, s.Category, s.SwarmAt }),
            verdict.StartedAt,
            verdict.DecidedAt,
            verdict.SwarmChangedAt,
            detection_lag_s = verdict.DetectionLag?.TotalSeconds,
            verdict.Evaluations,
            verdict.EventsSeen,
            pruned,
        });
        timeline.Decided($"{phase.Word()} deploy judged {verdict.Outcome.Word()}", verdict.Outcome == ConvergenceOutcome.Converged, verdict.DecidedAt);
        var full = verdict.Outcome != ConvergenceOutcome.Converged;
        await forensics.WriteAsync(plan.Stack, stage, services, deployment.Before.TakenAt, full, ct);
        stage.Log($"convergence: {verdict.Outcome.Word()} after {(verdict.DecidedAt - verdict.StartedAt).TotalSeconds:0.0}s: {verdict.Summary}");

        if (full)
        {
            stage.Evidence.AddRange(Forensics.Files);
            stage.Failure = verdict.Offending.Select(s => s.Failure).OfType<FailedService>().FirstOrDefault();
            if (verdict.Services.Select(s => s.TaskError).OfType<string>().Select(HostGap.Explain).OfType<string>().FirstOrDefault() is { } gap)
                throw new StageFailure(StageStatus.Error, $"{gap}: {verdict.Summary}. Forensics: {string.Join(", ", Forensics.Files)}");
            var status = phase == DeployPhase.Base ? StageStatus.BaselineBroken : verdict.Outcome switch
            {
                ConvergenceOutcome.RolledBack => StageStatus.RolledBack,
                ConvergenceOutcome.TimedOut => StageStatus.TimedOut,
                _ => StageStatus.Failed,
            };
            var what = phase switch
            {
                DeployPhase.Base => $"base {plan.Base.Tag?.Name} did not converge ({verdict.Outcome.Word()})",
                DeployPhase.Install => $"the head did not install ({verdict.Outcome.Word()})",
                _ => verdict.Outcome switch
                {
                    ConvergenceOutcome.RolledBack => "swarm rolled the head back",
                    ConvergenceOutcome.Paused => "swarm paused the head's update",
                    ConvergenceOutcome.TimedOut => "the head did not converge in time",
                    _ => "the head's tasks keep failing",
                },
            };
            // The order of events is what a maintainer needs first: the last of them, here and in report.html.
            stage.Log("timeline (last events):\n  " + string.Join("\n  ", timeline.Tail(12)));
            throw new StageFailure(status, $"{what}: {verdict.Summary}. Forensics: {string.Join(", ", Forensics.Files)}");
        }

        if (phase == DeployPhase.Base) await AssertBaseIdentityAsync(plan, stage, ct);
        if (phase == DeployPhase.Install) await identity.AssertAsync(plan, stage, ct, "install identity");
        return verdict;
    }

    /// <summary>Two-sided identity, first side: what runs is the base release that was asked for.</summary>
    private async Task AssertBaseIdentityAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var app = await docker.ServiceAsync(plan.Stack.Of("app"), ct);
        var version = app?.Spec.Labels.GetValueOrDefault(plan.Stack.Label(AbraLabel.Version));
        var expected = plan.Base.Tag?.Name;
        if (version != expected)
            throw new StageFailure(StageStatus.BaselineBroken,
                $"the base's app service carries version label '{version ?? "(none)"}', expected the base release {expected}");
        stage.Log($"base identity: app runs {version}");
    }
}
