using System.Reflection;
using Cake.Core.Diagnostics;
using Cake.Core;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Files;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>The build context: typed options, the run of the recipe, and the run's stop signal.</summary>
public sealed partial class RecipeContext : FrostingContext, IExitCodeSource, IClosingLinesSource
{
    private readonly Lock _stopGate = new();
    private RunParts? _run;

    public RunOptions Options { get; }
    public string Target { get; }
    public CancellationTokenSource Interrupt { get; } = new();
    /// <summary>What stopped the run early (a signal or the deadline), if anything; the first stop wins.</summary>
    public RunStop? Stop { get; private set; }
    public RunDeadline? Deadline { get; private set; }
    public int? ExitCode { get; set; }
    /// <summary>The clock of the run and of everything it times.</summary>
    public TimeProvider Clock { get; } = TimeProvider.System;
    public bool HasRun => _run is not null;
    /// <summary>The sweep of this process, when the target is Sweep.</summary>
    public Sweeps.SweepSession? Sweep { get; set; }
    /// <summary>The dependencies the sweep of this process shares, torn down when the process ends.</summary>
    public SweepDependencies? SweepDependencies { get; set; }

    public RecipeContext(ICakeContext context) : base(context)
    {
        Options = RunOptions.Parse(context.Arguments, Environment.GetEnvironmentVariable, Clock);
        if (context.Arguments.HasArgument("artifacts")) RunOptions.EnsureWritable(Options.Artifacts);
        Target = context.Arguments.HasArgument("target") ? context.Arguments.GetArguments("target").Last() : "";
    }

    public void Say(string message) => Log.Say(message);

    /// <summary>
    /// The sweep's live status where someone watches a terminal (stdout and stderr on one, a TERM that
    /// moves the cursor), in the console's colour decision; null in a pipe, a log or CI, which get the lines alone.
    /// </summary>
    public Func<Sweeps.SweepProgress, Task, Task>? LiveSweepStatus(string sweepId) =>
        Sweeps.LiveSweepStatus.Wanted(!Console.IsOutputRedirected, !Console.IsErrorRedirected, Environment.GetEnvironmentVariable("TERM"))
            ? (progress, finished) => Sweeps.LiveSweepStatus.OnTerminalAsync(sweepId, progress, finished, Data.Get<ConsoleChoice>().Colour, Clock)
            : null;

    private readonly List<ClosingLine> _closing = [];
    public IReadOnlyList<ClosingLine> ClosingLines => _closing;

    /// <summary>A line the console ends with, after Cake's task table (the verdict and where its evidence is), coloured on a terminal when given one.</summary>
    public void SayLast(string line, ConsoleColor? colour = null) => _closing.Add(new ClosingLine(line, colour));

    /// <summary>Teardown has a budget of its own: once it starts, the deadline no longer applies.</summary>
    public void EndDeadline() => Deadline?.Dispose();

    /// <summary>Stops the current stage; the stages after it are unverified and teardown still runs.</summary>
    public void RequestStop(RunStop stop)
    {
        lock (_stopGate)
        {
            if (Stop is not null) return;
            Stop = stop;
        }
        Log.Say($"{stop.Reason}: stopping the current stage; teardown will run", LogLevel.Warning);
        Interrupt.Cancel();
    }

    /// <summary>The run of the requested recipe, its parts built by the first stage that needs it.</summary>
    public RunParts RequireRun()
    {
        if (_run is not null) return _run;
        try
        {
            var catalog = Catalog.Load(Options.Catalog);
            var recipe = Options.Recipe ?? throw new BadInputException(
                $"--recipe is required for this target. Enrolled in {catalog.File}: {string.Join(", ", catalog.Recipes.Select(r => r.Name))}");
            var inputs = Options.ForRun(recipe);
            // A missing repository or a wrong --ref is bad input, said before a run folder is made for it.
            new SourcePreflight(new CommandRunner()).CheckAsync(catalog, catalog.Get(recipe), inputs, CancellationToken.None).GetAwaiter().GetResult();
            _run = new RunParts(inputs, catalog, TargetScopeOf(Target), Options.StateDir, Say, Clock);
        }
        catch (BadInputException ex) when (Options.Recipe is { } recipe && Arguments.HasArgument("run-id"))
        {
            // No results.json will say it: Publish posts this to the PR instead.
            BadInputRecord.Keep(ArtifactWriter.NoSecrets, Options.Artifacts, Options.RunId, recipe, ex.Message);
            throw;
        }
        _run.Stages.InterruptReason = () => Stop?.Reason;
        // The deadline is per recipe run: orchestrating targets (Sweep, Bench, Janitor) have none,
        // while each run they start has its own.
        Deadline = new RunDeadline(Options.Deadline, RequestStop, Clock);
        return _run;
    }

    public RunParts? CurrentRun => _run;

    /// <summary>The rungs the target task declares it covers (<see cref="CoversAttribute"/>).</summary>
    private static TargetScope TargetScopeOf(string target)
    {
        var task = typeof(RecipeContext).Assembly.GetTypes()
            .FirstOrDefault(t => string.Equals(t.GetCustomAttribute<TaskNameAttribute>()?.Name, target, StringComparison.OrdinalIgnoreCase));
        return TargetScope.Of(task?.GetCustomAttribute<TaskNameAttribute>()?.Name ?? target, task?.GetCustomAttribute<CoversAttribute>());
    }
}
