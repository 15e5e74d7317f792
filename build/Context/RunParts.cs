using RecipeCi.Abra;
using RecipeCi.Checks;
using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Lint;
using RecipeCi.Machine;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>
/// One run of one recipe as its parts, each built once when the run starts and given what it needs
/// in its constructor: the stage tasks call into them
/// (<c>context.RequireRun().Deployer.DeployFirstAsync(plan, stage, ct)</c>; a stage with a part of its own calls the part of its name). After every stage
/// results.json, junit.xml, timeline.json and report.html are rewritten, so a run that crashes
/// still leaves the last complete picture.
/// </summary>
public sealed class RunParts : IDisposable
{
    private readonly ArtifactWriter _artifacts;
    private readonly TimeProvider _clock;
    /// <summary>What swarm and the harness did, fed by every convergence look (report.html draws it).</summary>
    private readonly RunTimeline _timeline = new();
    private readonly RunReport _report;
    /// <summary>Set once, when the run's last stage is recorded and its results are final.</summary>
    private DateTimeOffset? _finishedAt;
    /// <summary>The sweeps' state folder, where the recipe's last green run is recorded.</summary>
    private readonly string _stateDir;
    private readonly DockerCli _docker;
    private readonly IAbra _abra;
    private readonly CommandRunner _runner;
    private RunEnvironment? _environment;
    private SinceGreen? _sinceGreen;

    public RunInputs Inputs { get; }
    public RecipeEntry Entry { get; }
    public TargetScope Target { get; }
    public RunFolders Folders { get; }
    public StageBook Stages { get; }
    /// <summary>Says a line on the console, redacted with the run's secrets.</summary>
    public Action<string> Say { get; }
    private readonly Redactor _redactor;

    /// <summary>A text as it may be shown: without any secret value this run knows.</summary>
    public string Redact(string text) => _redactor.Redact(text);

    public FetchRecipe FetchRecipe { get; }
    public RunAdmission RunAdmission { get; }
    public RecipeVetting Vetting { get; }
    public AppDeployer Deployer { get; }
    public ConvergenceStage Converger { get; }
    public HealthProbe Health { get; }
    public HeadIdentityCheck HeadIdentityCheck { get; }
    public UpgradeContinuity Continuity { get; }
    public CustomChecks CustomChecks { get; }
    public BackupRound Backup { get; }
    public ColdInstallHead ColdInstallHead { get; }
    public LintRecipe LintRecipe { get; }
    public PlanSummary PlanSummary { get; }
    public Teardown Teardown { get; }
    public DependencyApps Dependencies { get; }
    /// <summary>The runs of the apps this recipe needs, each a run of its own in deps/&lt;recipe&gt;/.</summary>
    private readonly IReadOnlyList<RunParts> _dependencyRuns;

    /// <summary>A dependency's run installs it and nothing else.</summary>
    private static readonly TargetScope DependencyTarget = new("Install", new HashSet<Rung> { Rung.Install }, UpgradeOrNothing: false);

    /// <param name="stateDir">The sweeps' state folder: the recipe's last green run, and the release a dependency is installed at.</param>
    public RunParts(RunInputs inputs, Catalog catalog, TargetScope target, string stateDir, Action<string> say, TimeProvider clock)
        : this(inputs, catalog, target, stateDir, say, clock, null, new Redactor(), inputs.SharedDeps is { } handle ? SharedDependencies.Load(handle) : null)
    {
    }

    /// <summary>A dependency a sweep shares: a run of its own in <paramref name="folder"/>, under the sweep's folder, installed as a run's dependency is.</summary>
    public static RunParts ForSweepDependency(RunInputs inputs, Catalog catalog, string stateDir, string folder, Action<string> say, TimeProvider clock) =>
        new(inputs, catalog, DependencyTarget, stateDir, say, clock, folder, new Redactor(), null);

    /// <param name="runFolder">A dependency's folder in the run that needs it; null for a run of its own.</param>
    /// <param name="redactor">The secret values of the run, shared with its dependencies' runs.</param>
    /// <param name="shared">The dependencies the run's sweep shares, or null.</param>
    private RunParts(RunInputs inputs, Catalog catalog, TargetScope target, string stateDir, Action<string> say, TimeProvider clock, string? runFolder,
        Redactor redactor, SharedDependencies? shared)
    {
        _stateDir = stateDir;
        Inputs = inputs;
        Entry = catalog.Get(inputs.Recipe);
        Target = target;
        _clock = clock;
        var started = clock.GetUtcNow();
        Folders = new RunFolders(inputs, catalog.Directory, runFolder);
        // checks.yaml is the operator's input, as recipes.yaml is: a malformed one is exit 2 before anything runs.
        CheckReader.ReadFolder(Folders.Tests);
        if (Directory.Exists(Folders.Run) && Directory.EnumerateFileSystemEntries(Folders.Run).Any())
            throw new BadInputException($"{Folders.Run} already exists: pick another --run-id");
        Directory.CreateDirectory(Folders.Run);

        // The secret values of this run: every log line and artifact passes through it.
        _redactor = redactor;
        Say = message => say(redactor.Redact(message));
        _artifacts = new ArtifactWriter(redactor);
        var runner = _runner = new CommandRunner(redactor);
        var docker = _docker = new DockerCli(runner);
        var watcher = new ConvergenceWatcher(docker, clock) { Progress = Say, Observed = _timeline.Observe };
        var abra = _abra = new AbraDrivers(docker, runner, watcher, clock, Say).Choose(inputs.Abra, Folders.AbraDir);
        var checkRunner = new CheckRunner(docker, runner, clock);
        var env = new EnvUpgrader(Entry, Folders, abra, docker);
        var hook = new InstallHook(Entry, Folders, runner);
        var route = new VisitorRoute(Entry, Folders, docker, redactor, recipe => catalog.Get(recipe).Routing);

        Stages = new StageBook(Folders.Run, runner, _artifacts, Say, clock) { AfterStage = () => Write() };
        _report = new RunReport(inputs, Entry, target, abra.Kind, Folders, Stages, started);
        CustomChecks = new CustomChecks(Entry, Folders, checkRunner, route);
        FetchRecipe = new FetchRecipe(inputs, Entry, target, Folders, runner, abra.Kind, CustomChecks, hook, started, clock);
        RunAdmission = new RunAdmission(inputs, Entry, docker, new ReservationBook(inputs.LockDir), clock);
        Deployer = new AppDeployer(Entry, inputs.Server, Folders, abra, docker, _timeline, env, hook, clock);
        // A sweep-scoped dependency the sweep shares is provisioned against, not installed: it gets no run here.
        var state = new CanonicalStateStore(stateDir);
        RunParts Own(Dependency d) => new(inputs.ForDependency(d.Recipe, state.TryReadCanonical(d.Recipe)?.Commit), catalog, DependencyTarget,
            stateDir, message => Say($"[{d.Recipe}] {message}"), clock, Path.Combine(Folders.Run, DependencyApps.DepsFolder, d.Recipe), redactor, null);
        var apps = Entry.Depends.Select(d => d.Scope == DependencyScope.Sweep && shared?.Find(d.Recipe) is { } app
            ? new DependencyRun(d, null, app) : new DependencyRun(d, Own(d), null)).ToList();
        _dependencyRuns = [.. apps.Select(a => a.Run).OfType<RunParts>()];
        if (_dependencyRuns.FirstOrDefault(d => d.Entry.Depends.Count > 0) is { } nested)
            throw new BadInputException($"{Entry.Depends.First(d => d.Recipe == nested.Entry.Name).Where}: recipes.{Entry.Name}.depends.{nested.Entry.Name}: " +
                $"{nested.Entry.Name} has depends: of its own, which a dependency's run does not install. Fix: list what {nested.Entry.Name} needs under recipes.{Entry.Name}.depends too, and drop its own depends:");
        Dependencies = new DependencyApps(Entry, catalog.Directory, [.. apps.Select(a => new DependencyApp(a.Spec, a.Run?.AsDependency(), a.Shared))], docker, redactor, _artifacts);
        Vetting = new RecipeVetting(Entry, Folders, Deployer, env, Dependencies, _timeline, clock);
        Health = new HealthProbe(Entry, docker, checkRunner, route, clock);
        HeadIdentityCheck = new HeadIdentityCheck(docker);
        Converger = new ConvergenceStage(Entry, Folders, watcher, docker, clock, _timeline, new Forensics(docker), HeadIdentityCheck);
        Continuity = new UpgradeContinuity(Entry, inputs.RunId, Folders, docker);
        Backup = new BackupRound(Entry, inputs.RunId, Folders, abra, docker, Health);
        ColdInstallHead = new ColdInstallHead(Entry, abra, docker, _timeline, Vetting, Deployer, Converger, Health, clock);
        LintRecipe = new LintRecipe(Entry, Folders, runner, abra.Kind, inputs.Abra);
        PlanSummary = new PlanSummary(Entry, inputs.Rungs);
        Teardown = new Teardown(Folders, abra, docker, route, clock);
        Write();
    }

    /// <summary>A dependency of the run: its own run, or the one its sweep shares.</summary>
    private sealed record DependencyRun(Dependency Spec, RunParts? Run, SharedApp? Shared);

    internal DependencyParts AsDependency() =>
        new(Folders, Stages, FetchRecipe, RunAdmission, Vetting, Deployer, Converger, Health, Teardown);

    /// <summary>
    /// Records what the run runs with (results.json's environment) and, when the sweeps recorded a
    /// green run of the recipe, what changed since: the environments' differences and the recipe's
    /// commits between that run's ref and this one's. What cannot be read is said, never fatal.
    /// </summary>
    public async Task ObserveEnvironmentAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        async Task<T?> Or<T>(Func<Task<T>> read) where T : class
        {
            try { return await read(); }
            catch (Exception ex) when (ex is CommandFailedException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                stage.Log($"environment: {ex.Message}");
                return null;
            }
        }
        var host = await Or(async () => (await new HostResourceProbe(_docker).LocalAsync(ct))());
        _environment = new RunEnvironment(
            await new GitRepository(AppContext.BaseDirectory, _runner).TryResolveAsync("HEAD", ct) ?? "unknown",
            await Or(() => _docker.ServerVersionAsync(ct)) ?? "unknown",
            _abra is AbraCli cli ? await cli.VersionAsync(ct) : "local driver",
            host?.MemoryTotalMb, host?.DiskFreeMb, host?.DiskPath);
        stage.Log($"environment: harness {_environment.HarnessCommit}, docker {_environment.Docker}, abra {_environment.Abra}, " +
                  $"{_environment.MemoryTotalMb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} MB memory, " +
                  $"{_environment.DiskFreeMb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} MB free under {_environment.DiskPath ?? "docker's root"}");
        if (new CanonicalStateStore(_stateDir).TryReadCanonical(Entry.Name) is not { } green) return;
        var known = await plan.Repo.TryResolveAsync(green.Commit, ct) is not null;
        var commits = known ? await Or(() => plan.Repo.LogAsync(green.Commit, plan.HeadRef, SinceGreen.MaxCommits, ct)) : null;
        _sinceGreen = new SinceGreen(green.RunId, green.At, green.Environment is { } then ? RunEnvironment.Differences(then, _environment) : null,
            commits ?? [], commits is not null ? null : known ? "git log failed (see FetchRecipe's log)" : $"the last green's commit {green.Commit[..Math.Min(12, green.Commit.Length)]} is not in this clone");
        stage.Log($"{_sinceGreen.Heading}: {string.Join(" | ", _sinceGreen.Lines())}");
    }

    /// <summary>Marks the results final (the last stage has been recorded) and writes them.</summary>
    public RunResult Finish()
    {
        _finishedAt ??= _clock.GetUtcNow();
        foreach (var dependency in _dependencyRuns) dependency.Finish();
        return Write();
    }

    /// <summary>Brings results.json, junit.xml, timeline.json and report.html up to date with the stages recorded so far.</summary>
    private RunResult Write()
    {
        var result = _report.Build(_finishedAt, _environment, _sinceGreen);
        result.Write(Folders.Run, _artifacts);
        JUnitWriter.Write(Folders.Run, result, _artifacts);
        var timeline = _timeline.File();
        _artifacts.WriteJson(Path.Combine(Folders.Run, TimelineFile.FileName), timeline);
        var dependencies = _dependencyRuns.Select(d => (Path.GetRelativePath(Folders.Run, d.Folders.Run), d._report.Build(d._finishedAt, d._environment, d._sinceGreen))).ToList();
        _artifacts.Write(Path.Combine(Folders.Run, RunPage.FileName), RunPage.Render(result, timeline, dependencies));
        return result;
    }

    /// <summary>
    /// Releases the app domain. The lock file goes only after a verified-clean teardown: one left
    /// behind still names the stack, so the janitor finds and reaps what this run leaked.
    /// </summary>
    public void Dispose()
    {
        // The reservation goes before the lock: a reservation whose lock is free counts as a dead run's.
        RunAdmission.ReleaseReservation(Say);
        Stages.Results.Plan?.Lock?.Release(unlink: Stages.Results.Teardown?.Clean == true);
        foreach (var dependency in _dependencyRuns) dependency.Dispose();
    }
}
