using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;

namespace RecipeCi.Lifecycle;

/// <summary>
/// One run of one recipe: its inputs, its folders and tools, and the stages recorded so far with
/// what they found (<see cref="StageBook.Results"/>). Nothing here is filled in by stages: what
/// FetchRecipe resolves is the immutable <see cref="RunPlan"/>, and each later result is a record of its own.
/// </summary>
public sealed class RecipeRun : IDisposable
{
    public RunOptions Options { get; }
    public RecipeEntry Entry { get; }
    public string CatalogDirectory { get; }
    public TargetScope Target { get; }
    public string RunDirectory { get; }
    public AbraDir AbraDir { get; }
    /// <summary>The secret values of this run; every log line and artifact passes through it.</summary>
    public Redactor Redactor { get; } = new();
    public ArtifactWriter Artifacts { get; }
    public CommandRunner Runner { get; }
    public DockerCli Docker { get; }
    public IAbra Abra { get; }
    public ConvergenceWatcher Watcher { get; }
    public StageBook Stages { get; }
    /// <summary>What swarm and the harness did, fed by every convergence look (report.html draws it).</summary>
    public RunTimeline Timeline { get; } = new();
    public Action<string> Say { get; }
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    /// <summary>Set once, when the run's last stage is recorded and its results are final.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>What admitted runs of this machine reserved (in the lock folder, beside the app-domain locks).</summary>
    public Machine.ReservationBook Reservations => new(Options.LockDir);

    public RecipeRun(RunOptions options, Catalog catalog, TargetScope target, Action<string> say)
    {
        Options = options;
        Entry = catalog.Get(options.Recipe ?? throw new BadInputException(
            $"--recipe is required for this target. Enrolled in {catalog.File}: {string.Join(", ", catalog.Recipes.Select(r => r.Name))}"));
        CatalogDirectory = catalog.Directory;
        Target = target;
        RunDirectory = Path.GetFullPath(Path.Combine(options.Artifacts, "runs", options.RunId, Entry.Name));
        if (Directory.Exists(RunDirectory) && Directory.EnumerateFileSystemEntries(RunDirectory).Any())
            throw new BadInputException($"{RunDirectory} already exists: pick another --run-id");
        Directory.CreateDirectory(RunDirectory);
        Say = message => say(Redactor.Redact(message));
        Artifacts = new ArtifactWriter(Redactor);
        AbraDir = new AbraDir(Path.Combine(RunDirectory, "abra"));
        Runner = new CommandRunner(Redactor);
        Docker = new DockerCli(Runner);
        Watcher = new ConvergenceWatcher(Docker) { Progress = Say, Observed = Timeline.Observe };
        Abra = AbraDrivers.Choose(options.Abra, AbraDir, Docker, Runner, Watcher, Say);
        Stages = new StageBook(RunDirectory, Runner, Artifacts, Say) { AfterStage = () => RunReport.Write(this) };
        RunReport.Write(this);
    }

    public string RecipePath => AbraDir.RecipePath(Entry.Name);

    /// <summary>Resolves a catalogue path relative to the catalogue file; URLs pass through.</summary>
    public string ResolveSource(string source) => Catalog.ResolveSource(CatalogDirectory, source);

    /// <summary>The app's env file as abra keeps it for this run's server.</summary>
    public AppEnv AppEnv(RunPlan plan) => Recipes.AppEnv.Load(AbraDir.EnvPath(Options.Server, plan.Domain), RecipePath);

    /// <summary>Marks the results final (the last stage has been recorded) and writes them.</summary>
    public RunResult Finish()
    {
        FinishedAt ??= DateTimeOffset.UtcNow;
        return RunReport.Write(this);
    }

    /// <summary>
    /// Releases the app domain. The lock file goes only after a verified-clean teardown: one left
    /// behind still names the stack, so the janitor finds and reaps what this run leaked.
    /// </summary>
    public void Dispose()
    {
        // The reservation goes before the lock: a reservation whose lock is free counts as a dead run's.
        var found = Stages.Results;
        if (found.Plan is { } plan) ReleaseReservation(plan, Say);
        found.Plan?.Lock?.Release(unlink: found.Teardown?.Clean == true);
    }

    /// <summary>Gives back what admission reserved, once: after the first deploy converged, or when the run ends, however it ends.</summary>
    public void ReleaseReservation(RunPlan plan, Action<string> log)
    {
        if (Stages.Results.Admission is { Admitted: true } && Reservations.Release(plan.Domain))
            log($"released the resources admission reserved for {plan.Domain}");
    }
}
