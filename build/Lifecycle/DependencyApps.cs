using RecipeCi.Checks;
using RecipeCi.Files;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// The pieces of a dependency's own run, built as any run's are (by the run that needs it): its stage
/// book writes the dependency's evidence in <c>deps/&lt;recipe&gt;/</c> of the run folder.
/// </summary>
public sealed record DependencyParts(
    RunFolders Folders, StageBook Stages, FetchRecipe Fetch, RunAdmission Admission, RecipeVetting Vetting, AppDeployer Deployer,
    ConvergenceStage Converger, HealthProbe Health, Teardown Teardown);

/// <summary>A dependency the Dependencies stage installed: its names and where its evidence is.</summary>
public sealed record InstalledDependency(string Recipe, DependencyScope Scope, string Domain, string Stack, string Evidence);

/// <summary>
/// One app a recipe needs, and where it comes from: <see cref="Own"/>, a run of its own this run
/// installs, or <see cref="Shared"/>, the one its sweep installed for every recipe that needs it.
/// </summary>
public sealed record DependencyApp(Dependency Spec, DependencyParts? Own, SharedApp? Shared);

/// <summary>The Dependencies stage's result: the apps it installed and what their provision hooks wired into the app.</summary>
public sealed record InstalledDependencies(IReadOnlyList<InstalledDependency> Apps, Provisioned Provisioned);

/// <summary>
/// Dependencies: the apps a recipe needs (<c>depends:</c>), each installed cold as a run of its own
/// (fetched, locked, admitted, vetted behind the trust boundary, deployed on the proxy network,
/// converged and healthy, its stages and evidence in <c>deps/&lt;recipe&gt;/</c>), then provisioned
/// for the app by the operator's hook. A dependency that does not install, or whose hook fails, is
/// no verdict on the recipe: the stage ends <c>error</c> and the recipe's rungs stay unverified.
/// </summary>
public sealed class DependencyApps
{
    public const string DepsFolder = "deps";
    private static readonly TimeSpan HookBudget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SecretRead = TimeSpan.FromSeconds(30);

    private readonly RecipeEntry _entry;
    private readonly string _catalogDirectory;
    private readonly IReadOnlyList<DependencyApp> _apps;
    private readonly CommandRunner _hooks;
    private readonly DockerCli _docker;
    private readonly ProbeTool _probe;
    private readonly Redactor _redactor;
    private readonly ArtifactWriter _artifacts;

    /// <summary>Checks every hook before anything runs: a missing or non-executable one is bad input, naming the catalogue line.</summary>
    public DependencyApps(RecipeEntry entry, string catalogDirectory, IReadOnlyList<DependencyApp> apps, DockerCli docker, Redactor redactor, ArtifactWriter artifacts)
    {
        foreach (var spec in apps.Select(a => a.Spec))
        {
            var hook = spec.HookPath(catalogDirectory, entry.Name);
            if (!File.Exists(hook) || (File.GetUnixFileMode(hook) & UnixFileMode.UserExecute) == 0)
                throw new BadInputException($"{spec.Where}: recipes.{entry.Name}.depends.{spec.Recipe}.provision: {hook} {(File.Exists(hook) ? "is not executable" : "does not exist")}. " +
                    $"Fix: {(File.Exists(hook) ? $"chmod +x {hook}" : $"add the hook there (tests/{entry.Name}/{spec.Provision}) and make it executable")}");
        }
        (_entry, _catalogDirectory, _apps, _docker, _redactor, _artifacts) = (entry, catalogDirectory, apps, docker, redactor, artifacts);
        _probe = new ProbeTool(docker);
        // Its own runner, journaling nothing: a hook's output holds secret values, written only once they are registered.
        _hooks = new CommandRunner(redactor);
    }

    public bool Any => _apps.Count > 0;

    /// <summary>Why the run is the operator's bad input (a hook printed a line of another shape): the run ends with exit 2; null otherwise.</summary>
    public string? BadInput { get; private set; }

    /// <summary>
    /// Installs each dependency in turn (or takes the one its sweep shares), then runs its provision
    /// hook for the app; the first that fails ends the stage.
    /// </summary>
    public async Task<InstalledDependencies> InstallAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var installed = new List<InstalledDependency>();
        var provisioned = Provisioned.Nothing;
        var runFolder = Path.GetDirectoryName(stage.Directory)!;
        foreach (var (spec, parts, shared) in _apps)
        {
            SharedApp target;
            if (shared is not null)
            {
                stage.Log($"dependency {spec.Recipe} ({spec.Scope.Word()} scope): shared by the sweep, installed once in {shared.Evidence}/; this run provisions its own against it");
                // What this run was given, beside its stages' evidence: the shared app's names, no secret value.
                new SharedDependencies([shared]).Write(Path.Combine(runFolder, DepsFolder, spec.Recipe, SharedDependencies.FileName), _artifacts);
                if (shared.Error is not null)
                    throw new StageFailure(StageStatus.Error,
                        $"dependency {spec.Recipe}, shared by the sweep, did not install ({shared.Error}); not the recipe's fault: its evidence is in {shared.Evidence}/");
                await LearnSecretsAsync(shared, stage, ct);
                target = shared;
            }
            else
            {
                var own = parts!;
                var evidence = Path.GetRelativePath(runFolder, own.Folders.Run);
                stage.Log($"dependency {spec.Recipe} ({spec.Scope.Word()} scope): installing it cold, its stages and evidence in {evidence}/");
                var depPlan = await InstallOneAsync(own, ct);
                LogStages(stage, spec, own);
                if (depPlan is null)
                    throw new StageFailure(StageStatus.Error,
                        $"dependency {spec.Recipe} did not install ({StopOf(own)}); not the recipe's fault: its evidence is in {evidence}/");
                target = Handle(spec.Recipe, own, evidence);
            }
            installed.Add(new InstalledDependency(spec.Recipe, spec.Scope, target.Domain, target.Stack, target.Evidence));
            provisioned = provisioned.With(await ProvisionAsync(spec, target, plan, [], stage, ct));
        }
        stage.Log($"provisioned for {plan.Domain}: {Given(provisioned)}");
        return new InstalledDependencies(installed, provisioned);
    }

    /// <summary>
    /// A shared app's generated secrets, read inside its running containers and registered with this
    /// run's redactor before its hook runs: the sweep's run that installed it knows their values, this
    /// process would not, and a hook (or what it starts) may print one.
    /// </summary>
    private async Task LearnSecretsAsync(SharedApp app, StageRecorder stage, CancellationToken ct)
    {
        if (app.Secrets.Count == 0) return;
        var stack = new StackName(app.Stack);
        var services = (await _docker.StackServicesAsync(app.Stack, ct)).Where(s => stack.Owns(s.Name)).Select(s => stack.NameOf(s.Name)).ToList();
        var unread = new List<string>();
        foreach (var name in app.Secrets.Keys.Order())
            if (await _probe.StackSecretAsync(stack, services, name, SecretRead, ct) is { } value) _redactor.Register(value);
            else unread.Add(name);
        stage.Log($"dependency {app.Recipe}: {app.Secrets.Count - unread.Count} of its {app.Secrets.Count} secrets read inside its containers, redacted in this run" +
            (unread.Count == 0 ? "" : $"; {string.Join(", ", unread)} mounted by no running service, so not known here"));
    }

    /// <summary>The stage that stopped a dependency's install, its status and why.</summary>
    public static string StopOf(DependencyParts parts)
    {
        var stop = parts.Stages.Stages.First(s => !s.Status.LetsRunContinue());
        return $"{stop.Name} {stop.Status.Word()}: {stop.Reason}";
    }

    /// <summary>An installed dependency as a provision hook is told of it: its names and its generated secrets' swarm names.</summary>
    public static SharedApp Handle(string recipe, DependencyParts parts, string evidence)
    {
        var dep = parts.Stages.Results.Plan!;
        return new SharedApp(recipe, dep.Domain, dep.Stack.Value,
            Abra.AppSecrets.Declared(parts.Folders.EnvPath(dep.Domain)).ToDictionary(s => s.Name, s => dep.Stack.Secret(s.Name, s.Version)), evidence);
    }

    /// <summary>
    /// Before the head deploy, when the head's .env.sample asks for keys the app's env lacks: each
    /// installed dependency's hook again, told the new keys (<c>RECIPE_CI_NEW_KEYS</c>).
    /// </summary>
    public async Task<Provisioned> ProvisionAgainAsync(RunPlan plan, IReadOnlyList<string> newKeys, StageRecorder stage, CancellationToken ct)
    {
        stage.Log($"the head asks for new keys ({string.Join(", ", newKeys)}): provisioning again");
        var provisioned = Provisioned.Nothing;
        foreach (var (spec, parts, shared) in _apps)
            provisioned = provisioned.With(await ProvisionAsync(spec, shared ?? Handle(spec.Recipe, parts!, parts!.Folders.Run), plan, newKeys, stage, ct));
        stage.Log($"provisioned for the head: {Given(provisioned)}");
        return provisioned;
    }

    /// <summary>What the hooks gave, by name only.</summary>
    private static string Given(Provisioned p) => $"env {Names(p.Env.Keys)}; secrets {Names(p.Secrets.Keys)}; check values {Names(p.Checks.Keys)}";

    private static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order()) : "none";

    /// <summary>The dependency's install stages, in its own stage book: the plan when it is up and healthy, null when a stage stopped it.</summary>
    public static async Task<RunPlan?> InstallOneAsync(DependencyParts parts, CancellationToken ct)
    {
        var book = parts.Stages;
        async Task<bool> Step<T>(StageId id, Rung? rung, ResultSlot<T> slot, Func<StageRecorder, Task<T?>> body, ResultSlot? leaves = null) where T : class
        {
            var kind = new StageKind(id, rung, VerdictNeutral: false, WaitsOnSwarm: false);
            if (!book.ShouldRun(kind)) return false;
            await book.RunAsync(kind, slot, leaves, async s => await body(s), StageStatus.Failed, ct);
            return book.Stop is null;
        }
        RunPlan Plan() => book.Results.Plan!;
        var up = await Step(StageId.FetchRecipe, null, ResultSlots.Plan, async s => await parts.Fetch.FetchAsync(s, ct), ResultSlots.App)
            && await Step(StageId.RunAdmission, null, ResultSlots.Admission, async s => await parts.Admission.AdmitAsync(Plan(), s, ct))
            && await Step(StageId.VetBase, Rung.Install, ResultSlots.VettedBase, async s => await parts.Vetting.VetFirstAsync(Plan(), Provisioned.Nothing, s, ct))
            && await Step(StageId.DeployBase, Rung.Install, ResultSlots.FirstDeployment, async s => await parts.Deployer.DeployFirstAsync(Plan(), Provisioned.Nothing, s, ct))
            && await Step(StageId.AwaitBaseConvergence, Rung.Install, ResultSlots.BaseConvergence,
                async s => await parts.Converger.AwaitAsync(Plan(), book.Results.FirstDeployment!, DeployPhase.Install, s, ct))
            && await Step(StageId.AwaitBaseHealthy, Rung.Install, ResultSlots.BaseHealth, async s => await parts.Health.AwaitAsync(Plan(), s, DeployPhase.Install, ct));
        return up ? Plan() : null;
    }

    /// <summary>The dependency's stages, one line each, in the app's stage: its run page shows them.</summary>
    private static void LogStages(StageRecorder stage, Dependency spec, DependencyParts parts)
    {
        foreach (var s in parts.Stages.Stages)
            stage.Log($"  {spec.Recipe} {s.Name}: {s.Status.Word()} ({s.Duration.TotalSeconds:0.0}s){(s.Reason is null ? "" : ": " + s.Reason)}");
    }

    /// <summary>
    /// Runs the operator's hook with the dependency's and the app's names; its output is parsed, the
    /// secret and check values registered with the redactor, and only then written as evidence.
    /// </summary>
    private async Task<Provisioned> ProvisionAsync(Dependency spec, SharedApp dep, RunPlan app, IReadOnlyList<string> newKeys,
        StageRecorder stage, CancellationToken ct)
    {
        var hook = spec.HookPath(_catalogDirectory, _entry.Name);
        var name = $"tests/{_entry.Name}/{spec.Provision}";
        var env = CheckRunner.RecipeEnvironment(spec.Recipe, dep.Domain, new Naming.StackName(dep.Stack), []);
        env["RECIPE_CI_APP_RECIPE"] = _entry.Name;
        env["RECIPE_CI_APP_DOMAIN"] = app.Domain;
        env["RECIPE_CI_APP_STACK"] = app.Stack.Value;
        env["RECIPE_CI_NEW_KEYS"] = string.Join(' ', newKeys);
        // The dependency's generated secrets by name: their swarm names (a hook reads a value inside the container, /run/secrets/<name>).
        foreach (var (secret, swarmName) in dep.Secrets)
            env[$"RECIPE_CI_SECRET_{secret.ToUpperInvariant()}"] = swarmName;
        stage.Log($"provision hook {name} for {spec.Recipe}");
        var r = await _hooks.RunAsync(new Command(hook) { Environment = env, Check = false, WorkingDirectory = Path.GetDirectoryName(hook), Timeout = HookBudget }, ct);
        var log = $"provision-{spec.Recipe}.log";   // one per stage: the head's re-provisioning is in VetHead's folder
        Provisioned? found = null;
        string? malformed = null;
        try { found = Provisioned.Parse(r.Stdout, name); }
        catch (BadInputException ex) { malformed = ex.Message; }
        foreach (var value in found?.Hidden ?? []) _redactor.Register(value);
        // What a failed or malformed hook printed may hold secrets of any shape: its stdout is kept only when it parsed.
        stage.Write(log, $"$ {name}  # exit {r.ExitCode}\n--- stdout\n{(found is null ? "(not kept: it did not parse)" : r.Stdout)}\n--- stderr\n{r.Stderr}\n");
        stage.Evidence.Add(log);
        if (!r.Succeeded)
            throw new StageFailure(StageStatus.Error, $"provision hook {name} for {spec.Recipe} exited {r.ExitCode}: {Tail(r.Stderr)} ({log}); not the recipe's fault");
        if (malformed is not null)
        {
            BadInput = malformed;
            throw new StageFailure(StageStatus.Error, malformed);
        }
        return found!;
    }

    private static string Tail(string text) => string.Join(" | ", text.Trim().Split('\n').TakeLast(5));

    /// <summary>
    /// After the app's teardown: each dependency of its own torn down in its own stage book (its
    /// Teardown stage), last installed first; a shared one is its sweep's to tear down. One that
    /// leaked ends the app's Teardown in error; its lock file stays, for the janitor.
    /// </summary>
    public async Task TeardownAsync(StageRecorder stage, CancellationToken ct)
    {
        var leaked = new List<string>();
        foreach (var (spec, parts, _) in _apps.Reverse())
        {
            if (parts is null)
            {
                stage.Log($"dependency {spec.Recipe}: shared by the sweep, which tears it down after its last recipe");
                continue;
            }
            var leak = await TeardownOneAsync(parts, ct);
            stage.Log($"dependency {spec.Recipe}: teardown {(leak is null ? "clean" : "leaked " + leak)}");
            if (leak is not null) leaked.Add(spec.Recipe);
        }
        if (leaked.Count > 0)
            stage.End(StageStatus.Error, $"dependency teardown leaked: {string.Join(", ", leaked)} (see {DepsFolder}/<recipe>/); their lock files stay for the janitor");
    }

    /// <summary>A dependency's Teardown stage, in its own stage book: what leaked, or null when it is verified clean.</summary>
    public static async Task<string?> TeardownOneAsync(DependencyParts parts, CancellationToken ct)
    {
        var book = parts.Stages;
        var kind = new StageKind(StageId.Teardown, null, VerdictNeutral: false, WaitsOnSwarm: true);
        await book.RunAsync(kind, ResultSlots.Teardown, null,
            async s => await parts.Teardown.RunAsync(book.Results.Plan, book.Results.App, s, ct), StageStatus.Error, ct);
        var result = book.Results.Teardown;
        return result is { Clean: true } ? null : string.Join(", ", result?.Leaked ?? []);
    }
}
