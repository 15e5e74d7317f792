using RecipeCi.Abra;
using RecipeCi.Recipes;

namespace RecipeCi.Lifecycle;

/// <summary>
/// Where one run keeps its files (its folder, its own ABRA_DIR and the recipe tree in it, the app's
/// env file) and where Recipe CI's own repository keeps what it adds for the recipe (<c>tests/</c>,
/// <c>overlays/</c>, catalogue sources).
/// </summary>
/// <param name="run">A dependency's run folder (<c>deps/&lt;recipe&gt;</c> in the run that needs it); null for a run of its own.</param>
public sealed class RunFolders(RunInputs inputs, string catalogDirectory, string? run = null)
{
    /// <summary>The run's evidence folder: <c>&lt;artifacts&gt;/runs/&lt;run-id&gt;/&lt;recipe&gt;</c>.</summary>
    public string Run { get; } = Path.GetFullPath(run ?? Path.Combine(inputs.Artifacts, "runs", inputs.RunId, inputs.Recipe));

    /// <summary>The run's own ABRA_DIR, inside its evidence folder.</summary>
    public AbraDir AbraDir => new(Path.Combine(Run, "abra"));

    /// <summary>The run's recipe tree, which deploys move between refs.</summary>
    public string RecipePath => AbraDir.RecipePath(inputs.Recipe);

    /// <summary>Recipe CI's own checks and install hook for the recipe: <c>tests/&lt;recipe&gt;/</c>.</summary>
    public string Tests => Path.Combine(catalogDirectory, "tests", inputs.Recipe);

    /// <summary>Recipe CI's overlays for the recipe: <c>overlays/&lt;recipe&gt;/</c>.</summary>
    public string Overlays => Path.Combine(catalogDirectory, "overlays", inputs.Recipe);

    /// <summary>Resolves a catalogue path relative to the catalogue file; URLs pass through.</summary>
    public string ResolveSource(string source) => Catalog.ResolveSource(catalogDirectory, source);

    /// <summary>The app's env file as abra keeps it for the run's server.</summary>
    public string EnvPath(string domain) => AbraDir.EnvPath(inputs.Server, domain);

    public AppEnv AppEnv(RunPlan plan) => Recipes.AppEnv.Load(EnvPath(plan.Domain), RecipePath);
}
