using RecipeCi.Abra;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>A deploy the harness made, with the stack as it was just before it: its convergence is judged against that.</summary>
public abstract record Deployment(StackSnapshot Before);

/// <summary>The run's first deploy (DeployBase): the base release, or the head when no upgrade is tested.</summary>
public sealed record FirstDeployment(StackSnapshot Before) : Deployment(Before);

/// <summary>The head deployed over the base (ChaosRedeploy), with what the run added to the app's env and secrets first.</summary>
public sealed record HeadDeployment(StackSnapshot Before, EnvUpgrade Env) : Deployment(Before);

/// <summary>The run's tree at the head after CheckoutHead.</summary>
public sealed record HeadCheckout(string Commit);

/// <summary>The app VetBase creates, and DeployBase, CheckoutHead and ChaosRedeploy: the deploys of an upgrade, through abra.</summary>
public sealed class AppDeployer(
    RecipeEntry entry, string server, RunFolders folders, IAbra abra, DockerCli docker, RunTimeline timeline, EnvUpgrader env, InstallHook hook, TimeProvider clock)
{
    /// <summary>The ref of the run's first deploy: the base tag when an upgrade follows, else the head.</summary>
    public static string FirstRef(RunPlan plan) => FirstTag(plan)?.Name ?? plan.HeadRef;

    private static ReleaseTag? FirstTag(RunPlan plan) => plan.FirstDeploy == FirstDeploy.Base ? plan.Base.Tag : null;

    /// <summary>
    /// <c>abra app new</c> and the app's env (the catalogue's env, the overlay), with the tree at the
    /// first deploy's ref: files on this machine only, nothing on the swarm yet (VetBase vets them).
    /// </summary>
    public async Task<AppEnv> CreateAppAsync(RunPlan plan, Provisioned provisioned, StageRecorder stage, CancellationToken ct)
    {
        await abra.AppNewAsync(entry.Name, FirstTag(plan)?.Name, server, plan.Domain, ct);

        var app = folders.AppEnv(plan);
        foreach (var (k, v) in entry.Env.Concat(provisioned.Env)) app.File.Set(k, v);
        app.File.Save();
        if (plan.OverlayFile is not null) app.AppendComposeFile(plan.OverlayFile);
        if (plan.PreviousOverlayFile is not null) app.AppendComposeFile(plan.PreviousOverlayFile);   // only set when the base is deployed first

        // abra app new moved the tree to a release; the first deploy is of the base tag, or of the exact ref under test.
        await plan.Repo.CheckoutAsync(FirstRef(plan), ct);
        // The maintainer's hook sees the app's env and tree as the deploy will, and may still change
        // them: it runs before the vetting, which judges what the hook left.
        await hook.RunAsync(plan, stage, ct);
        var created = folders.AppEnv(plan);
        stage.Write("app.env", created.File.ToString());
        return created;
    }

    /// <summary>
    /// The run's first deploy, of the app VetBase created and vetted: its required keys checked, the
    /// secrets generated, then the base release (when an upgrade follows) or the head (a chaos
    /// deploy of the exact ref).
    /// </summary>
    public async Task<FirstDeployment> DeployFirstAsync(RunPlan plan, Provisioned provisioned, StageRecorder stage, CancellationToken ct)
    {
        var tag = FirstTag(plan);
        await InsertSecretsAsync(plan, provisioned, stage, ct);
        await env.PrepareAsync(plan, ct);
        await PullImagesAsync(plan, tag is null ? StageStatus.Failed : StageStatus.BaselineBroken, stage, ct);
        var before = await StackSnapshot.CaptureAsync(docker, plan.Stack.Value, clock, ct);
        if (tag is null)
        {
            stage.Log($"deploying the head {plan.ShortHead} (--chaos)");
            timeline.Deploying("head", plan.Stack, $"deploy the head {plan.ShortHead}", clock.GetUtcNow());
            await abra.DeployAsync(plan.Domain, new DeployRequest(Chaos: true), ct);
        }
        else
        {
            // abra refuses a pinned deploy of a dirty tree; with an overlay present the base goes
            // out as a chaos deploy of the tag's commit, which is what abra allows.
            var chaos = plan.OverlayFile is not null || plan.PreviousOverlayFile is not null;
            stage.Log(chaos ? $"deploying base {tag.Name} (--chaos: the overlay makes the tree dirty)" : $"deploying base {tag.Name}");
            timeline.Deploying("base", plan.Stack, $"deploy base {tag.Name}", clock.GetUtcNow());
            await abra.DeployAsync(plan.Domain, new DeployRequest(chaos ? null : tag.Name, Chaos: chaos), ct);
        }
        stage.Write("git.txt", await plan.Repo.EvidenceAsync(ct));
        return new FirstDeployment(before);
    }

    /// <summary>
    /// The secrets provision hooks gave, created under the app's stack as the versions its env declares
    /// (abra's <c>secret insert</c>); generating the rest then leaves them alone.
    /// </summary>
    private async Task InsertSecretsAsync(RunPlan plan, Provisioned provisioned, StageRecorder stage, CancellationToken ct)
    {
        if (provisioned.Secrets.Count == 0) return;
        var declared = AppSecrets.Declared(folders.EnvPath(plan.Domain)).ToDictionary(s => s.Name);
        var existing = await docker.NamesWithPrefixAsync("secret", plan.Stack.Of(""), ct);
        foreach (var (name, value) in provisioned.Secrets)
        {
            var secret = declared.GetValueOrDefault(name) ?? throw new StageFailure(StageStatus.Error,
                $"a provision hook gave secret '{name}', but the app's env declares no SECRET_{name.ToUpperInvariant()}_VERSION: give a secret the recipe's compose expects");
            // Swarm secrets never change: asked again, a hook gives only what the head's new keys need.
            if (existing.Contains(plan.Stack.Secret(name, secret.Version)))
                throw new StageFailure(StageStatus.Error,
                    $"a provision hook gave secret '{name}' again, but {name} {secret.Version} exists already and a swarm secret never changes: asked again (RECIPE_CI_NEW_KEYS), print only what the new keys need");
            await docker.SecretCreateAsync(plan.Stack.Value, plan.Stack.Secret(name, secret.Version), value, ct);
            stage.Log($"secret {name} {secret.Version} inserted from a provision hook");
        }
    }

    public async Task<HeadCheckout> CheckoutHeadAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        await plan.Repo.CheckoutAsync(plan.HeadRef, ct);
        var now = await plan.Repo.HeadAsync(ct);
        stage.Write("git.txt", await plan.Repo.EvidenceAsync(ct));
        if (now != plan.HeadRef)
            throw new StageFailure(StageStatus.Failed, $"after checkout the tree's HEAD is {now}, not the head {plan.HeadRef}");
        stage.Log($"recipe tree at the head {now[..12]}");
        return new HeadCheckout(now);
    }

    /// <param name="provisioned">What the hooks gave again for the head's new keys (VetHead); set before the head's sample keys are added, so they keep these values.</param>
    public async Task<HeadDeployment> ChaosRedeployAsync(RunPlan plan, Provisioned provisioned, StageRecorder stage, CancellationToken ct)
    {
        var app = folders.AppEnv(plan);
        // The base-only overlay and the head-only env: what the maintainer said differs between the two deploys.
        if (plan.PreviousOverlayFile is not null)
        {
            app.RemoveComposeFile(plan.PreviousOverlayFile);
            stage.Log($"base-only overlay {plan.PreviousOverlayFile} removed from COMPOSE_FILE for the head deploy");
        }
        foreach (var (k, v) in entry.UpgradeEnv.Concat(provisioned.Env)) app.File.Set(k, v);
        app.File.Save();
        if (entry.UpgradeEnv.Count > 0) stage.Log($"upgrade_env for the head deploy only: {string.Join(", ", entry.UpgradeEnv.Keys)}");
        // As an operator upgrading: the head's new keys and secrets first.
        var upgrade = await env.UpgradeAsync(plan, () => InsertSecretsAsync(plan, provisioned, stage, ct), stage, ct);
        await PullImagesAsync(plan, StageStatus.Failed, stage, ct);
        var before = await StackSnapshot.CaptureAsync(docker, plan.Stack.Value, clock, ct);
        stage.WriteJson("services-before.json", before.Services.Values.Select(s => s.Raw));
        stage.Log($"deploying the head {plan.ShortHead} with --chaos");
        timeline.Deploying("head", plan.Stack, $"deploy the head {plan.ShortHead} over the base (--chaos)", clock.GetUtcNow());
        await abra.DeployAsync(plan.Domain, new DeployRequest(Chaos: true), ct);
        return new HeadDeployment(before, upgrade);
    }

    /// <summary>
    /// Every image the deploy names, on this engine before the deploy: what a pull costs is then
    /// spent before the convergence wait starts, not inside it, and an image that is neither here
    /// nor pullable is named at once as missing (<paramref name="failAs"/>: the deploy's failure),
    /// where swarm would have said "No such image" only once its task failed.
    /// </summary>
    private async Task PullImagesAsync(RunPlan plan, StageStatus failAs, StageRecorder stage, CancellationToken ct)
    {
        var project = folders.AppEnv(plan).Project(plan.Stack);
        foreach (var (service, image) in project.Services.Select(s => (s.Name, project.Image(s))).Where(s => s.Item2 is not null).DistinctBy(s => s.Item2))
        {
            if (await docker.ImageExistsAsync(image!, ct)) continue;
            var started = clock.GetTimestamp();
            var pull = await docker.ImagePullAsync(image!, ct);
            if (!pull.Succeeded)
            {
                stage.Failure = new FailedService(service, FailureCategory.ImageMissing, null);
                throw new StageFailure(failAs, $"image missing: {image} (service {service}) is not on this host and docker pull failed: {pull.Output}");
            }
            stage.Log($"pulled {image} for {service} in {clock.GetElapsedTime(started).TotalSeconds:0.0}s, before the deploy");
        }
    }
}
