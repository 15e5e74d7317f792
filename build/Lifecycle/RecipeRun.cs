using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Locks;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;

namespace RecipeCi.Lifecycle;

/// <summary>The release an upgrade starts from, or why there is none.</summary>
public sealed record BasePlan(ReleaseTag? Tag, string How)
{
    public bool Skipped => Tag is null;
}

/// <summary>
/// Everything one run of one recipe knows: its inputs, its folders, its tools and what the stages
/// found so far. Stages read and fill it; the results are derived from it at the end.
/// </summary>
public sealed class RecipeRun : IDisposable
{
    public RunOptions Options { get; }
    public RecipeEntry Entry { get; }
    public string CatalogDirectory { get; }
    public string Target { get; }
    public string RunDirectory { get; }
    public AbraDir AbraDir { get; }
    public CommandRunner Runner { get; }
    public DockerCli Docker { get; }
    public IAbra Abra { get; }
    public ConvergenceWatcher Watcher { get; }
    public StageBook Stages { get; }
    public RunResult Result { get; }
    public Action<string> Say { get; }
    public CancellationToken Cancellation { get; }

    // Filled by the stages.
    public GitRepository? Repo { get; set; }
    public string? HeadRef { get; set; }
    public RecipeVersion? HeadVersion { get; set; }
    public BasePlan? Base { get; set; }
    public FirstDeploy FirstDeploy { get; set; } = FirstDeploy.None;
    public string? OverlayFile { get; set; }
    public string Domain { get; set; } = "";
    public string Stack { get; set; } = "";
    public StackSnapshot? BeforeDeploy { get; set; }
    public AppDomainLock? Lock { get; set; }
    public bool AppCreated { get; set; }
    public string? BackupSkip { get; set; }
    public MarkerCommands? Markers { get; set; }
    public string? MarkerBefore { get; set; }
    public string? MarkerAfter { get; set; }
    public string? Snapshot { get; set; }

    public RecipeRun(RunOptions options, Catalog catalog, string target, Action<string> say, CancellationToken cancellation)
    {
        Options = options;
        Entry = catalog.Get(options.Recipe ?? throw new Host.UsageException(
            $"--recipe is required for this target. Enrolled in {catalog.File}: {string.Join(", ", catalog.Recipes.Select(r => r.Name))}"));
        CatalogDirectory = catalog.Directory;
        Target = target;
        Say = say;
        Cancellation = cancellation;
        RunDirectory = Path.GetFullPath(Path.Combine(options.Artifacts, "runs", options.RunId, Entry.Name));
        if (Directory.Exists(RunDirectory) && Directory.EnumerateFileSystemEntries(RunDirectory).Any())
            throw new Host.UsageException($"{RunDirectory} already exists: pick another --run-id");
        Directory.CreateDirectory(RunDirectory);
        AbraDir = new AbraDir(Path.Combine(RunDirectory, "abra"));
        Runner = new CommandRunner();
        Docker = new DockerCli(Runner);
        Watcher = new ConvergenceWatcher(Docker) { Progress = say };
        Abra = ChooseAbra(options.Abra, AbraDir, Docker, Runner, Watcher, say);
        Stages = new StageBook(RunDirectory, Runner, say);
        Result = new RunResult
        {
            RunId = options.RunId,
            Recipe = Entry.Name,
            Mode = target.ToLowerInvariant(),
            Pr = options.Pr,
            Ref = options.Ref,
            Driver = Abra.Kind,
            Evidence = RunDirectory,
        };
        Stages.AfterStage = () => RunReport.Write(this);
        RunReport.Write(this);
    }

    internal static IAbra ChooseAbra(AbraMode mode, AbraDir dir, DockerCli docker, CommandRunner runner, ConvergenceWatcher watcher, Action<string> say)
    {
        var onPath = FindOnPath("abra");
        switch (mode)
        {
            case AbraMode.Cli when onPath is null:
                throw new Host.UsageException("--abra=cli, but there is no abra on PATH");
            case AbraMode.Cli:
                return new AbraCli(dir, runner, onPath);
            case AbraMode.Local:
                return new LocalAbraDriver(dir, docker, runner, watcher);
            default:
                say(onPath is null
                    ? "abra: not on PATH, using the local abra-compatible driver (--abra=auto)"
                    : $"abra: using {onPath} (--abra=auto)");
                return onPath is null ? new LocalAbraDriver(dir, docker, runner, watcher) : new AbraCli(dir, runner, onPath);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public string RecipePath => AbraDir.RecipePath(Entry.Name);

    /// <summary>Resolves a catalogue path relative to the catalogue file; URLs pass through.</summary>
    public string ResolveSource(string source) => Catalog.ResolveSource(CatalogDirectory, source);

    /// <summary>
    /// Releases the app domain. The lock file goes only after a verified-clean teardown: one left
    /// behind still names the stack, so the janitor finds and reaps what this run leaked.
    /// </summary>
    public void Dispose() => Lock?.Release(unlink: Result.Teardown?.Clean == true);
}
