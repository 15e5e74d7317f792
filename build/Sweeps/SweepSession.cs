using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Reaping;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.State;
using RecipeCi.Swarm;
using RecipeCi.Tables;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// One sweep from plan to report: the recipes this runner sweeps (known before any task runs, so
/// each gets a task of its own in the graph), their runs, and the summary.
/// </summary>
public sealed class SweepSession
{
    private IReadOnlyDictionary<string, Task<RecipeSweepResult>>? _running;
    private JanitorPass? _janitor;
    /// <summary>The handle of the dependencies this sweep shares, given to each recipe process; null when none.</summary>
    private string? _sharedDeps;
    /// <summary>The live status, while it shows; the report is written once it has cleared.</summary>
    private Task _live = Task.CompletedTask;

    public SweepOptions Options { get; }
    public Catalog Catalog { get; }
    public IReadOnlyList<RecipeEntry> Recipes { get; }
    public string SweepDirectory { get; }
    public CanonicalStateStore State { get; }
    public DateTimeOffset StartedAt { get; private set; }

    private readonly TimeProvider _time;

    private SweepSession(SweepOptions options, Catalog catalog, IReadOnlyList<RecipeEntry> recipes, TimeProvider time)
    {
        (Options, Catalog, Recipes, _time) = (options, catalog, recipes, time);
        SweepDirectory = Path.GetFullPath(Path.Combine(options.Artifacts, Reports.ArtifactIndex.SweepsFolder, options.RunId));
        State = new CanonicalStateStore(options.StateDir);
    }

    /// <summary>Reads the catalogue and selects the matrix; bad input ends here, before anything runs.</summary>
    public static SweepSession Open(SweepOptions options, TimeProvider time)
    {
        var catalog = Catalog.Load(options.Catalog);
        return new SweepSession(options, catalog, SweepPlan.Select(catalog, options.Recipes, options.Shard), time);
    }

    /// <summary>
    /// Decides run or skip for each recipe, has <paramref name="shareDependencies"/> install what the
    /// recipes to run share (it returns the handle's path, or null), and starts the runs, at most --parallel at once;
    /// <paramref name="showLive"/>, given, shows their progress until every run has ended, when there is one.
    /// </summary>
    public async Task StartAsync(Action<string> say, CancellationToken stop, Func<IReadOnlyList<RecipeEntry>, CancellationToken, Task<string?>>? shareDependencies = null,
        Func<SweepProgress, Task, Task>? showLive = null)
    {
        if (Directory.Exists(SweepDirectory) && Directory.EnumerateFileSystemEntries(SweepDirectory).Any())
            throw new BadInputException($"{SweepDirectory} already exists: pick another --run-id");
        StartedAt = _time.GetUtcNow();
        _janitor = await SweepUpAsync(say, stop);
        say($"before the sweep: {_janitor.Account} (relative to {SweepDirectory})");
        var items = await new SweepDecider(Catalog, State, new CommandRunner(), Path.Combine(SweepDirectory, "origin")).DecideAsync(Recipes, Options.Force, stop);
        say($"sweep {Options.RunId}: {SweepSummary.CountOf(items.Count)} (shard {Options.Shard}, parallel {Options.Parallel}, confirm {Options.Confirm}), state in {State.Directory}");
        var plan = new TextTable(3);
        foreach (var i in items)
            plan.Row(i.Entry.Name, i.Latest?.Name ?? "-", i.Error is not null ? "error: " + i.Error : (i.Decision.Run ? "run: " : "skip: ") + i.Decision.Reason);
        foreach (var line in plan.Lines()) say(line);
        if (shareDependencies is not null)
            _sharedDeps = await shareDependencies([.. items.Where(i => i.Error is null && i.Decision.Run).Select(i => i.Entry)], stop);
        var runner = new SweepRunner
        {
            SweepId = Options.RunId,
            Artifacts = Path.GetFullPath(Options.Artifacts),
            SweepDirectory = SweepDirectory,
            State = State,
            Parallel = Options.Parallel,
            Confirm = Options.Confirm,
            ChildCommand = (i, runId) => ChildProcess.Harness(RecipeArgs(i, runId)),
            Time = _time,
            Say = say,
        };
        _running = runner.Start(items, stop);
        // A sweep that runs nothing (every recipe skipped) has nothing to show.
        if (showLive is not null && runner.Progress.Total > 0) _live = Task.Run(() => showLive(runner.Progress, Task.WhenAll(_running.Values)));
    }

    /// <summary>
    /// The janitor's pass over this sweep's lock folder, before any recipe runs: stacks of dead runs
    /// (their lock is free) go, so they neither load the machine nor hold admission reservations
    /// while recipes are judged; live runs (held locks) are left alone. Never the stacks no lock file
    /// records: runs of other lock folders look the same. A pass that fails is reported (summary,
    /// exit code), not fatal: the recipes are still tested.
    /// </summary>
    private async Task<JanitorPass> SweepUpAsync(Action<string> say, CancellationToken stop)
    {
        var started = _time.GetUtcNow();
        try
        {
            var runner = new CommandRunner();
            var report = await new Janitor(new DockerCli(runner), runner, _time, Options.Deadline, Options.Retention, say)
                .RunAsync(Options.LockDir, unrecordedSuffix: null, BadInputRecord.Root(Options.Artifacts), stop);
            return report.Pass(Path.GetRelativePath(SweepDirectory, report.Write(Options.Artifacts)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return JanitorPass.Failed(ex, _time.GetUtcNow() - started);
        }
    }

    /// <summary>The child's command line: the Recipe target on the release tag, in the sweep's run folder, with this sweep's settings.</summary>
    private string[] RecipeArgs(SweepItem item, string runId) =>
    [
        $"--target={SweepPlan.RecipeTarget}", $"--recipe={item.Entry.Name}", $"--ref={item.Latest!.Name}",
        $"--run-id={runId}", $"--artifacts={Path.GetFullPath(Options.Artifacts)}", $"--catalog={Path.GetFullPath(Options.Catalog)}",
        $"--lock-dir={Path.GetFullPath(Options.LockDir)}", $"--abra={Options.Abra.ToString().ToLowerInvariant()}",
        $"--server={Options.Server}", $"--domain-suffix={Options.DomainSuffix}",
        $"--deadline={Options.Deadline.TotalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        .. _sharedDeps is null ? Array.Empty<string>() : [$"--shared-deps={_sharedDeps}"],
    ];

    public Task<RecipeSweepResult> ResultFor(string recipe) =>
        (_running ?? throw new InvalidOperationException("the sweep has not started")).GetValueOrDefault(recipe)
        ?? throw new InvalidOperationException($"{recipe} is not part of this sweep");

    /// <summary>Waits for every run, then writes the report and returns its summary.</summary>
    public async Task<SweepSummary> FinishAsync()
    {
        var results = new List<RecipeSweepResult>();
        foreach (var r in Recipes) results.Add((await ResultFor(r.Name)).WithHistory(State.TryReadHistory(r.Name)));
        await _live;
        var finished = _time.GetUtcNow();
        var summary = new SweepSummary
        {
            SweepId = Options.RunId,
            Catalog = Path.GetFullPath(Options.Catalog),
            Shard = Options.Shard.ToString(),
            Parallel = Options.Parallel,
            Confirm = Options.Confirm,
            Forced = Options.Force,
            StateDir = State.Directory,
            StartedAt = StartedAt,
            FinishedAt = finished,
            WallS = Math.Round((finished - StartedAt).TotalSeconds, 3),
            Janitor = _janitor ?? throw new InvalidOperationException("the sweep has not started"),
            Recipes = results,
        };
        new SweepReportWriter(ArtifactWriter.NoSecrets).Write(SweepDirectory, summary);
        return summary;
    }
}
