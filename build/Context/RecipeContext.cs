using Cake.Core;
using Cake.Core.Diagnostics;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;

namespace RecipeCi.Context;

/// <summary>The build context: typed options, the run of the recipe, and the run's stop signal.</summary>
public sealed class RecipeContext : FrostingContext, IExitCodeSource
{
    private RecipeRun? _run;

    public RunOptions Options { get; }
    public string Target { get; }
    public CancellationTokenSource Interrupt { get; } = new();
    /// <summary>The signal that stopped the run, if any (its exit code is 128 + the signal number).</summary>
    public int? Signal { get; set; }
    public int? ExitCode { get; set; }
    public bool HasRun => _run is not null;
    /// <summary>The sweep of this process, when the target is Sweep.</summary>
    public Sweeps.SweepSession? Sweep { get; set; }

    public RecipeContext(ICakeContext context) : base(context)
    {
        Options = RunOptions.Parse(context.Arguments, Environment.GetEnvironmentVariable);
        Target = context.Arguments.HasArgument("target") ? context.Arguments.GetArguments("target").Last() : "";
    }

    public void Say(string message) => Log.Say(message);

    /// <summary>The run of the requested recipe, created by the first stage that needs it.</summary>
    public RecipeRun RequireRun()
    {
        if (_run is not null) return _run;
        try
        {
            _run = new RecipeRun(Options, Catalog.Load(Options.Catalog), Target, Say, Interrupt.Token);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }
        return _run;
    }

    public RecipeRun? CurrentRun => _run;
}
