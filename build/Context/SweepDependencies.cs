using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>
/// The sweep-scoped dependencies of a sweep: each installed once, as a run of its own (the same
/// parts and stages as a run's dependency, its own lock for the janitor) in
/// <c>&lt;sweep folder&gt;/deps/&lt;recipe&gt;/</c>, before the sweep's recipe processes start; the
/// handle it writes tells each of them; torn down after the last of them ended.
/// </summary>
public sealed class SweepDependencies(RunOptions options, Catalog catalog, string sweepDirectory, Action<string> say, TimeProvider clock, Func<string, string?> canonical)
{
    private readonly List<(Dependency Spec, RunParts Run)> _runs = [];

    /// <summary>Installs what the recipes about to run need with <c>scope: sweep</c>; the handle's path, or null when none needs one.</summary>
    public async Task<string?> InstallAsync(IReadOnlyList<RecipeEntry> recipes, CancellationToken ct)
    {
        var needed = recipes.SelectMany(r => r.Depends).Where(d => d.Scope == DependencyScope.Sweep).DistinctBy(d => d.Recipe).ToList();
        if (needed.Count == 0) return null;
        var apps = new List<SharedApp>();
        foreach (var spec in needed)
        {
            if (catalog.Get(spec.Recipe).Depends.Count > 0)
                throw new BadInputException($"{spec.Where}: depends.{spec.Recipe}: {spec.Recipe} has depends: of its own, which a dependency's run does not install. " +
                    $"Fix: list what {spec.Recipe} needs under the recipes that need it, and drop its own depends:");
            var folder = Path.Combine(sweepDirectory, DependencyApps.DepsFolder, spec.Recipe);
            var inputs = options.ForRun(spec.Recipe).ForDependency(spec.Recipe, canonical(spec.Recipe), of: $"sweep|{sweepDirectory}");
            var run = RunParts.ForSweepDependency(inputs, catalog, options.StateDir, folder, message => say($"[{spec.Recipe}] {message}"), clock);
            _runs.Add((spec, run));
            say($"dependency {spec.Recipe} (sweep scope): installing it once for the sweep, its stages and evidence in {folder}/");
            var parts = run.AsDependency();
            var plan = await DependencyApps.InstallOneAsync(parts, ct);
            var app = plan is null
                ? new SharedApp(spec.Recipe, "", "", new Dictionary<string, string>(), folder, DependencyApps.StopOf(parts))
                : DependencyApps.Handle(spec.Recipe, parts, folder);
            say($"dependency {spec.Recipe}: {(app.Error is null ? $"up as {app.Stack}, shared by every recipe that needs it" : $"did not install ({app.Error}): every recipe that needs it ends error")}");
            apps.Add(app);
        }
        var handle = Path.Combine(sweepDirectory, SharedDependencies.FileName);
        new SharedDependencies(apps).Write(handle, ArtifactWriter.NoSecrets);
        return handle;
    }

    /// <summary>
    /// Tears each down in its own run's Teardown stage, last installed first, and finishes its run;
    /// one that leaked keeps its lock file, for the janitor. Whatever stopped the sweep, teardown runs to its end.
    /// </summary>
    public async Task TeardownAsync()
    {
        foreach (var (spec, run) in Enumerable.Reverse(_runs))
        {
            var leak = await DependencyApps.TeardownOneAsync(run.AsDependency(), CancellationToken.None);
            say($"dependency {spec.Recipe} (sweep scope): teardown {(leak is null ? "clean" : $"leaked {leak}; its lock file stays for the janitor")}");
            run.Finish();
            run.Dispose();
        }
        _runs.Clear();
    }
}
