using System.Diagnostics;
using System.Globalization;
using RecipeCi.Browser;
using RecipeCi.Checks;
using RecipeCi.Machine;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Routing;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// The app as a visitor reaches it, through traefik's route read from its labels: the routing probe
/// after every deploy's health, and the browser checks. Both ask from one helper container on the
/// proxy network, started for the run's stack on first use and removed by <see cref="DisposeAsync"/>
/// (Teardown, before it looks for leftovers).
/// </summary>
/// <param name="routingOf">An enrolled recipe's <c>routing:</c> setting: a dependency's route is read by its own.</param>
public sealed class VisitorRoute(RecipeEntry entry, RunFolders folders, DockerCli docker, Redactor redactor, Func<string, RoutingSetting> routingOf) : IAsyncDisposable
{
    public const string FileName = "routing.json";
    private static readonly TimeSpan SecretRead = TimeSpan.FromSeconds(30);

    private readonly ProbeTool _tool = new(docker);
    private ProxyHelper? _helper;

    private ProxyHelper Helper(RunPlan plan) =>
        _helper ??= ProxyHelper.For(docker, ProxyHelper.NameFor(plan.Stack.Value), LocalSwarmBootstrap.ProxyNetwork, LocalSwarmBootstrap.BaseImage);

    private RoutingExpectation Expectation(RunPlan plan, AppEnv env) => RoutingExpectation.For(plan.Domain, env.File.Values(), entry.Routing);

    /// <summary>
    /// Probes every traefik router of the deployed stack and writes routing.json in the stage's folder:
    /// a route that fails fails the stage with <paramref name="failure"/>; one not probed or not
    /// followed passes with its reason.
    /// </summary>
    public async Task ProbeAsync(RunPlan plan, StageRecorder stage, StageStatus failure, CancellationToken ct)
    {
        if (entry.Routing.None is { } why)
        {
            stage.Log($"routing not probed: {why} (routing.none in recipes.yaml)");
            return;
        }
        // What the probe costs a deploy, said in the log with the helper's start (once a run) apart.
        var clock = Stopwatch.StartNew();
        var env = folders.AppEnv(plan);
        var project = env.Project(plan.Stack);
        var origins = project.Services.ToDictionary(s => s.Name, project.LabelOrigins);
        var helper = Helper(plan);
        var startedBefore = helper.StartTime is not null;
        var report = await new RouteProber(docker, helper).ProbeAsync(plan.Stack, Expectation(plan, env), origins, ct);
        stage.WriteJson(FileName, report);
        stage.Evidence.Add(FileName);
        if (report.Outcome == RouteOutcome.Failed) throw new StageFailure(failure, "routing: " + report.Reason);
        var start = !startedBefore && helper.StartTime is { } took ? $", {Seconds(took)} s of it starting the helper" : "";
        stage.Log($"routing {report.Outcome.ToString().ToLowerInvariant()} in {Seconds(clock.Elapsed)} s{start}: {report.Reason}");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs a browser check by the app's domain over the visitor's route, its evidence in
    /// <paramref name="folder"/>; its named values are resolved by <see cref="ResolveAsync"/> and
    /// redacted from then on. The domains of the apps it needs (<paramref name="dependencies"/>) resolve
    /// too, each over its own route.
    /// </summary>
    /// <param name="checkValues">What the provision hooks gave for the checks (<c>check NAME VALUE</c>).</param>
    public async Task<BrowserOutcome> BrowseAsync(BrowserCheck check, RunPlan plan, IReadOnlyList<InstalledDependency> dependencies,
        IReadOnlyDictionary<string, string> checkValues, string folder, CancellationToken ct)
    {
        var env = folders.AppEnv(plan);
        var services = env.Project(plan.Stack).Services.Select(s => s.Name).ToList();
        var values = await ResolveAsync(check.Steps.OfType<FillStep>().Select(f => f.Value), env.File.Values(), checkValues,
            name => _tool.StackSecretAsync(plan.Stack, services, name, SecretRead, ct));
        foreach (var known in values.Values.OfType<string>()) redactor.Register(known);
        var helper = Helper(plan);
        var runner = new BrowserRunner(new RouteProber(docker, helper), helper, redactor);
        // A dependency's router is found by its entrypoint, whether or not its routing is probed (as the app's is);
        // its own run's probe judged its certificate resolver.
        var others = dependencies.Select(d => new BrowserSite(d.Recipe, new StackName(d.Stack), new RoutingExpectation(d.Domain, routingOf(d.Recipe).EntryPoint, null))).ToList();
        return await runner.RunAsync(check, plan.Stack, Expectation(plan, env), others, new BrowserTarget(folder, v => values.GetValueOrDefault(v)), ct);
    }

    /// <summary>
    /// The named values a check types, each from its own source only: <c>env:KEY</c> from the app's
    /// env, <c>check:NAME</c> from what the hooks gave for the checks, <c>secret:NAME</c> read by
    /// <paramref name="readSecret"/> from the app's containers. A secret never falls back to a check
    /// value of its name: an app that stopped mounting a secret would pass unseen. Null: no such value.
    /// </summary>
    public static async Task<IReadOnlyDictionary<StepValue, string?>> ResolveAsync(IEnumerable<StepValue> values, IReadOnlyDictionary<string, string> env,
        IReadOnlyDictionary<string, string> checkValues, Func<string, Task<string?>> readSecret)
    {
        var resolved = new Dictionary<StepValue, string?>();
        foreach (var value in values.Where(v => v.Source != StepValueSource.Literal).Distinct())
            resolved[value] = value.Source switch
            {
                StepValueSource.Env => env.GetValueOrDefault(value.Text),
                StepValueSource.Check => checkValues.GetValueOrDefault(value.Text),
                _ => await readSecret(value.Text),
            };
        return resolved;
    }

    public async ValueTask DisposeAsync()
    {
        if (_helper is not null) await _helper.DisposeAsync();
        _helper = null;
    }
}
