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

    public RunParts(RunInputs inputs, Catalog catalog, TargetScope target, Action<string> say, TimeProvider clock)
    {
        Inputs = inputs;
        Entry = catalog.Get(inputs.Recipe);
        Target = target;
        _clock = clock;
        var started = clock.GetUtcNow();
        Folders = new RunFolders(inputs, catalog.Directory);
        if (Directory.Exists(Folders.Run) && Directory.EnumerateFileSystemEntries(Folders.Run).Any())
            throw new BadInputException($"{Folders.Run} already exists: pick another --run-id");
        Directory.CreateDirectory(Folders.Run);

        // The secret values of this run: every log line and artifact passes through it.
        var redactor = _redactor = new Redactor();
        Say = message => say(redactor.Redact(message));
        _artifacts = new ArtifactWriter(redactor);
        var runner = new CommandRunner(redactor);
        var docker = new DockerCli(runner);
        var watcher = new ConvergenceWatcher(docker, clock) { Progress = Say, Observed = _timeline.Observe };
        var abra = AbraDrivers.Choose(inputs.Abra, Folders.AbraDir, docker, runner, watcher, clock, Say);
        var checkRunner = new CheckRunner(docker, runner, clock);
        var env = new EnvUpgrader(Entry, Folders, abra, docker);
        var hook = new InstallHook(Entry, Folders, runner);
        var route = new VisitorRoute(Entry, Folders, docker, redactor);

        Stages = new StageBook(Folders.Run, runner, _artifacts, Say, clock) { AfterStage = () => Write() };
        _report = new RunReport(inputs, Entry, target, abra.Kind, Folders, Stages, started);
        CustomChecks = new CustomChecks(Entry, Folders, checkRunner, route);
        FetchRecipe = new FetchRecipe(inputs, Entry, target, Folders, runner, abra.Kind, CustomChecks, hook, started, clock);
        RunAdmission = new RunAdmission(inputs, Entry, docker, new ReservationBook(inputs.LockDir), clock);
        Deployer = new AppDeployer(Entry, inputs.Server, Folders, abra, docker, _timeline, env, hook, clock);
        Vetting = new RecipeVetting(Entry, Folders, Deployer, env, _timeline, clock);
        Health = new HealthProbe(Entry, docker, checkRunner, route, clock);
        HeadIdentityCheck = new HeadIdentityCheck(docker);
        Converger = new ConvergenceStage(Entry, Folders, watcher, docker, _timeline, new Forensics(docker), HeadIdentityCheck);
        Continuity = new UpgradeContinuity(Entry, inputs.RunId, Folders, docker);
        Backup = new BackupRound(Entry, inputs.RunId, Folders, abra, docker, Health);
        ColdInstallHead = new ColdInstallHead(Entry, abra, docker, _timeline, Vetting, Deployer, Converger, Health, clock);
        LintRecipe = new LintRecipe(Entry, Folders, runner, abra.Kind, inputs.Abra);
        PlanSummary = new PlanSummary(Entry, inputs.Rungs);
        Teardown = new Teardown(Folders, abra, docker, route, clock);
        Write();
    }

    /// <summary>Marks the results final (the last stage has been recorded) and writes them.</summary>
    public RunResult Finish()
    {
        _finishedAt ??= _clock.GetUtcNow();
        return Write();
    }

    /// <summary>Brings results.json, junit.xml, timeline.json and report.html up to date with the stages recorded so far.</summary>
    private RunResult Write()
    {
        var result = _report.Build(_finishedAt);
        result.Write(Folders.Run, _artifacts);
        JUnitWriter.Write(Folders.Run, result, _artifacts);
        var timeline = _timeline.File();
        _artifacts.WriteJson(Path.Combine(Folders.Run, TimelineFile.FileName), timeline);
        _artifacts.Write(Path.Combine(Folders.Run, RunPage.FileName), RunPage.Render(result, timeline));
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
    }
}
