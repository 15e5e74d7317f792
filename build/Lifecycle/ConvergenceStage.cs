using Newtonsoft.Json.Linq;
using RecipeCi.Evidence;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>Which deploy a stage judges: the base release, the head installed fresh, or the head as an upgrade.</summary>
public enum DeployPhase { Base, Install, Upgrade }

/// <summary>
/// AwaitBaseConvergence / AwaitHeadConvergence: judges the deploy just made, writes what it saw,
/// and on anything but convergence the forensics a maintainer needs.
/// </summary>
public static class ConvergenceStage
{
    public static async Task AwaitAsync(RecipeRun run, StageRecorder stage, DeployPhase phase)
    {
        var ct = run.Cancellation;
        var composes = AppDeployer.ComposeFiles(run);
        var services = composes.SelectMany(c => c.Services.Select(s => s.Name)).Distinct().ToList();
        var env = Recipes.EnvFile.Load(run.AbraDir.EnvPath(run.Options.Server, run.Domain)).Values();
        // The recipe's own timeout label (what abra would wait) or the catalogue's, whichever is longer.
        var label = composes.Select(c => c.TimeoutLabel(env)).FirstOrDefault(t => t is not null);
        var budget = TimeSpan.FromSeconds(Math.Max(label ?? 0, run.Entry.Timeouts.Deploy));
        stage.Log($"waiting up to {budget.TotalSeconds:0}s for {string.Join(", ", services)} to converge");

        var request = new ConvergenceRequest(run.Stack, services, budget)
        {
            Before = run.BeforeDeploy ?? StackSnapshot.Empty,
            Labels = DeployedLabels.Of(composes, env, run.Stack),
        };
        var verdict = await run.Watcher.WaitAsync(request, ct);
        var pruned = verdict.Outcome == ConvergenceOutcome.Converged ? await OrphanServices.PruneAsync(run.Docker, run.Stack, services, ct) : [];
        if (pruned.Count > 0) stage.Log($"removed services the deploy no longer declares: {string.Join(", ", pruned)}");
        stage.WriteJson("convergence.json", new
        {
            outcome = verdict.Outcome.ToString(),
            verdict.Summary,
            services = verdict.Services.Select(s => new
            {
                s.Service, outcome = s.Outcome?.ToString(), s.Detail, s.UpdateState, s.TaskError,
                category = s.Category?.ToString(), swarm_at = s.SwarmAt,
            }),
            verdict.StartedAt,
            verdict.DecidedAt,
            verdict.SwarmChangedAt,
            detection_lag_s = verdict.DetectionLag?.TotalSeconds,
            verdict.Evaluations,
            verdict.EventsSeen,
            pruned,
        });
        var full = verdict.Outcome != ConvergenceOutcome.Converged;
        await Forensics.WriteAsync(run, stage, services, full);
        stage.Log($"convergence: {verdict.Outcome} after {(verdict.DecidedAt - verdict.StartedAt).TotalSeconds:0.0}s: {verdict.Summary}");

        if (full)
        {
            stage.Evidence.AddRange(Forensics.Files);
            var status = phase == DeployPhase.Base ? StageStatus.BaselineBroken : verdict.Outcome switch
            {
                ConvergenceOutcome.RolledBack => StageStatus.RolledBack,
                ConvergenceOutcome.TimedOut => StageStatus.TimedOut,
                _ => StageStatus.Failed,
            };
            var what = phase switch
            {
                DeployPhase.Base => $"base {run.Base?.Tag?.Name} did not converge ({verdict.Outcome})",
                DeployPhase.Install => $"the head did not install ({verdict.Outcome})",
                _ => verdict.Outcome switch
                {
                    ConvergenceOutcome.RolledBack => "swarm rolled the head back",
                    ConvergenceOutcome.Paused => "swarm paused the head's update",
                    ConvergenceOutcome.TimedOut => "the head did not converge in time",
                    _ => "the head's tasks keep failing",
                },
            };
            throw new StageFailure(status, $"{what}: {verdict.Summary}. Forensics: {string.Join(", ", Forensics.Files)}");
        }

        if (phase == DeployPhase.Base) await AssertBaseIdentityAsync(run, stage, ct);
        if (phase == DeployPhase.Install) await HeadIdentityCheck.AssertAsync(run, stage, "install identity");
    }

    /// <summary>Two-sided identity, first side: what runs is the base release that was asked for.</summary>
    private static async Task AssertBaseIdentityAsync(RecipeRun run, StageRecorder stage, CancellationToken ct)
    {
        var app = await run.Docker.ServiceAsync($"{run.Stack}_app", ct);
        var version = app?.Spec.Labels.GetValueOrDefault($"coop-cloud.{run.Stack}.version");
        var expected = run.Base!.Tag!.Name;
        if (version != expected)
            throw new StageFailure(StageStatus.BaselineBroken,
                $"the base's app service carries version label '{version ?? "(none)"}', expected the base release {expected}");
        stage.Log($"base identity: app runs {version}");
    }
}

/// <summary>
/// What a stage saw of the stack: every service's Spec, PreviousSpec and UpdateStatus, every task
/// with its full error; on a non-pass also each service's logs since the deploy (bounded) and the
/// host's memory and disk at that moment.
/// </summary>
public static class Forensics
{
    private const int LogBytes = 64 * 1024;

    /// <summary>The files a non-pass leaves, in the order a maintainer reads them.</summary>
    public static readonly string[] Files = ["convergence.json", "tasks.json", "services.json", "logs/", "host-memory.txt", "host-disk.txt"];

    public static async Task WriteAsync(RecipeRun run, StageRecorder stage, IReadOnlyList<string> services, bool full)
    {
        var ct = run.Cancellation;
        var live = await run.Docker.StackServicesAsync(run.Stack, ct);
        stage.WriteJson("services.json", live.Select(s => s.Raw));
        var tasks = new JObject();
        foreach (var s in live)
            tasks[s.Name] = new JArray((await run.Docker.TasksAsync(s.Name, upToDate: false, ct)).Select(t => t.Raw));
        stage.WriteJson("tasks.json", tasks);
        if (!full) return;
        stage.Write("host-memory.txt", await run.Docker.HostMemoryAsync(ct));
        stage.Write("host-disk.txt", await run.Docker.HostDiskAsync(ct));
        // The deploy being judged happened in the stage before this one.
        var since = run.BeforeDeploy is { } b && b.TakenAt < stage.StartedAt ? b.TakenAt : stage.StartedAt;
        Directory.CreateDirectory(Path.Combine(stage.Directory, "logs"));
        foreach (var s in services)
        {
            var r = await run.Docker.RunAsync(["service", "logs", "--no-trunc", "--timestamps", "--since", since.ToString("O"), $"{run.Stack}_{s}"],
                ct, check: false, timeout: TimeSpan.FromSeconds(30));
            var text = r.Output;
            stage.Write(Path.Combine("logs", s + ".log"), text.Length > LogBytes ? "[...truncated...]\n" + text[^LogBytes..] : text);
        }
    }
}
