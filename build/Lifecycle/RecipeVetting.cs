using RecipeCi.Lint;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>The first deploy's app, created and vetted (VetBase): what DeployBase may deploy, with what the dependencies' hooks provisioned for it.</summary>
public sealed record VettedBase(IReadOnlyList<LintFinding> Allowed, Provisioned Provisioned);

/// <summary>The head's tree and env, vetted (VetHead): what ChaosRedeploy may deploy, with what the hooks gave again for the head's new keys.</summary>
public sealed record VettedHead(IReadOnlyList<LintFinding> Allowed, Provisioned Provisioned);

/// <summary>
/// VetBase and VetHead: the trust boundary before each deploy, over the tree and env that deploy
/// will use. A refusal ends the stage <c>refused</c> before anything of the deploy reaches the
/// swarm (secrets included); the findings the catalogue allows are logged and kept.
/// </summary>
public sealed class RecipeVetting(RecipeEntry entry, RunFolders folders, AppDeployer deployer, EnvUpgrader env, DependencyApps dependencies, RunTimeline timeline, TimeProvider clock)
{
    /// <summary>
    /// The tree at the first deploy's ref, its own files vetted before abra reads them; then
    /// <c>abra app new</c> and the app's env (files on this machine only), and the project vetted.
    /// </summary>
    public async Task<VettedBase> VetFirstAsync(RunPlan plan, Provisioned provisioned, StageRecorder stage, CancellationToken ct)
    {
        await plan.Repo.CheckoutAsync(AppDeployer.FirstRef(plan), ct);
        Check(stage, "the first deploy", "the tree's files", TrustBoundary.VetTreeFiles(folders.RecipePath, entry.Allow), "tree-files");
        var app = await deployer.CreateAppAsync(plan, provisioned, stage, ct);
        // A key the project needs unset is the operator's error, said as such, not a failed interpolation.
        env.RequireKeys(app, plan);
        return new VettedBase(Check(stage, "the first deploy", "the compose project with its env", TrustBoundary.Vet(app.Project(plan.Stack), folders.RecipePath, entry.Allow), "vetting"), provisioned);
    }

    /// <summary>
    /// The head's tree, with the app's env as the deploy will have it (the head's new sample keys
    /// added, not yet saved). When the head asks for new keys and the app's dependencies were
    /// installed (<paramref name="installed"/>), their hooks run again and their values are vetted too.
    /// </summary>
    public async Task<VettedHead> VetHeadAsync(RunPlan plan, InstalledDependencies? installed, StageRecorder stage, CancellationToken ct)
    {
        Check(stage, $"the head {plan.ShortHead}", "the tree's files", TrustBoundary.VetTreeFiles(folders.RecipePath, entry.Allow), "tree-files");
        var app = folders.AppEnv(plan);
        var added = env.AddSampleKeys(app);
        var provisioned = installed is not null && added.Count > 0 ? await dependencies.ProvisionAgainAsync(plan, added, stage, ct) : Provisioned.Nothing;
        foreach (var (k, v) in provisioned.Env) app.File.Set(k, v);
        env.RequireKeys(app, plan);
        return new VettedHead(Check(stage, $"the head {plan.ShortHead}", "the compose project with its env", TrustBoundary.Vet(app.Project(plan.Stack), folders.RecipePath, entry.Allow), "vetting"), provisioned);
    }

    private IReadOnlyList<LintFinding> Check(StageRecorder stage, string what, string part, Vetting vetting, string name)
    {
        stage.WriteJson($"{name}.json", vetting);
        stage.Evidence.Add($"{name}.json");
        foreach (var f in vetting.Allowed)
            stage.Log($"allowed by recipes.yaml (recipes.{entry.Name}.allow: {f.Name}): {f.Rule} at {f.Where}: {f.Message}");
        if (vetting.Refused.Count > 0)
        {
            timeline.Refused($"{what} refused: {string.Join(", ", vetting.Refused.Select(f => $"{f.Rule} {f.Name}").Distinct())}", clock.GetUtcNow());
            throw new StageFailure(StageStatus.Refused, TrustBoundary.Reason(what, vetting.Refused, entry.Name));
        }
        // Each stage vets twice (the tree's own files, then the project with its env): each line says which, so none repeats.
        stage.Log($"{what}, {part}: nothing reaches into the host{(vetting.Allowed.Count > 0 ? " beyond what recipes.yaml allows" : "")}");
        return vetting.Allowed;
    }
}
