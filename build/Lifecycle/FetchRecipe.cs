using RecipeCi.Lint;
using RecipeCi.Locks;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// FetchRecipe: clones the recipe (or its PR mirror, plus upstream tags) into the run's own
/// ABRA_DIR, resolves the head ref and its version, chooses the base release, adds the overlay,
/// names the app and takes its lock.
/// </summary>
public sealed class FetchRecipe(
    RunInputs inputs, RecipeEntry entry, TargetScope target, RunFolders folders, CommandRunner runner, string driver, CustomChecks checks, InstallHook hook,
    DateTimeOffset runStartedAt, TimeProvider clock)
{
    public const string OverlayName = "compose.ccci.yml";
    /// <summary>The base-only overlay's name in the run's tree (its source is overlays/&lt;recipe&gt;/previous/compose.ccci.yml).</summary>
    public const string PreviousOverlayName = "compose.ccci.previous.yml";
    public static readonly TimeSpan LockBudget = TimeSpan.FromMinutes(90);

    public async Task<RunPlan> FetchAsync(StageRecorder stage, CancellationToken ct)
    {
        var upstream = await MaterializeAsync(entry.Repository, "upstream", stage, ct);
        // A dependency is a release of upstream's, never a PR head.
        var fromMirror = entry.Mirror is not null && inputs.DependencyOf is null && (inputs.Pr is not null || inputs.Ref is not null);
        var source = fromMirror ? await MaterializeAsync(entry.Mirror!, "mirror", stage, ct) : upstream;
        stage.Log($"fetching {entry.Name} from {source}");
        var repo = await GitRepository.CloneAsync(source, folders.RecipePath, runner, ct);
        if (fromMirror) await repo.FetchTagsAsync(upstream, ct);

        // The expected head comes from the run's inputs (Drone: DRONE_COMMIT_SHA), never from a
        // workspace HEAD that Drone may have merged.
        var wanted = inputs.Ref ?? (inputs.DependencyOf is null ? null : await NewestReleaseAsync(repo, stage, ct)) ?? "HEAD";
        var head = await repo.TryResolveAsync(wanted, ct);
        if (head is null && await repo.TryFetchAsync(source, wanted, ct)) head = await repo.TryResolveAsync("FETCH_HEAD", ct);
        if (head is null)
            throw new StageFailure(StageStatus.Failed, $"ref '{wanted}' is not in {source}. Fix: pass --ref=<a commit or tag of that repository>");
        await repo.CheckoutAsync(head, ct);

        var (versionText, composeProblem) = await VersionLabelAsync(repo, head, ct);
        var headVersion = RecipeVersion.TryParse(versionText, out var hv) ? hv : null;
        stage.Log($"head {head[..12]} declares version {versionText ?? "(none)"}" + (composeProblem is null ? "" : $" ({composeProblem})"));

        var rungs = target.Planned(inputs.Rungs);
        var choice = await ChooseBaseAsync(repo, head, headVersion, inputs.Base ?? entry.Base, stage, ct);
        var basePlan = new BasePlan(choice.Tag, choice.How);
        var firstDeploy = target.Choose(inputs.Rungs, basePlan);
        stage.Log($"base: {basePlan.How}; first deploy: {firstDeploy switch
        {
            FirstDeploy.Base => "the base, then the head as an upgrade",
            FirstDeploy.Head => "the head",
            _ => "none",
        }}; rungs: {string.Join(", ", rungs.Order().Select(r => r.Word()))}");

        string? overlayFile = null;
        var overlay = Path.Combine(folders.Overlays, OverlayName);
        if (File.Exists(overlay))
        {
            File.Copy(overlay, Path.Combine(repo.Path, OverlayName));
            overlayFile = OverlayName;
            stage.Log($"overlay: {overlay} added to the run's tree (the tree is now dirty, so deploys are --chaos)");
        }

        // The base-only overlay matters only when a base is deployed; the head never sees it.
        string? previousFile = null;
        var previous = Path.Combine(folders.Overlays, "previous", OverlayName);
        if (File.Exists(previous) && firstDeploy == FirstDeploy.Base)
        {
            File.Copy(previous, Path.Combine(repo.Path, PreviousOverlayName));
            previousFile = PreviousOverlayName;
            stage.Log($"base-only overlay: {previous} added to the run's tree as {PreviousOverlayName}");
        }

        var customization = CustomizationManifest.Describe(entry, inputs.Base, checks.All(), hook.Find(), overlayFile, previousFile, rungs);
        stage.Log("customization:\n" + string.Join("\n", CustomizationManifest.Lines(customization)));
        stage.WriteJson("customization.json", customization);

        var domain = AppNaming.Domain(entry.Name, inputs.DomainKey, head, inputs.DomainSuffix);
        var app = new AppName(domain, new StackName(AppNaming.StackName(domain)));
        stage.Log($"app domain {app.Domain}, stack {app.Stack}");
        try
        {
            stage.Write("git.txt", await GitEvidenceAsync(repo, choice, ct));

            // Lint must still get to report it; a deploy of a tree abra cannot read would only fail later.
            if (composeProblem is not null && Deploys(rungs, firstDeploy))
                throw new StageFailure(StageStatus.Failed, $"{LintRules.ComposeInvalid.Id} {LintRules.ComposeInvalid.Name}: {composeProblem}");
            var held = Deploys(rungs, firstDeploy) ? await HoldAsync(app, stage, ct) : null;
            if (held is null) stage.Log("the run deploys nothing: no app-domain lock is taken");
            return new RunPlan(repo, head, headVersion, basePlan, firstDeploy, overlayFile, app, rungs, held, customization) { PreviousOverlayFile = previousFile };
        }
        catch (Exception ex)
        {
            // Named before the lock is taken: a run stopped while waiting must say whose stack it left alone.
            throw new StoppedShort(app, ex);
        }
    }

    /// <summary>A dependency without a canonical release goes out at its newest release (null: it has none, so its head).</summary>
    private async Task<string?> NewestReleaseAsync(GitRepository repo, StageRecorder stage, CancellationToken ct)
    {
        var newest = (await GitRepository.RemoteReleaseTagsAsync(repo.Path, runner, ct)).LastOrDefault();
        stage.Log(newest is null ? "a dependency with no release: installing its head" : $"a dependency with no canonical release: installing its newest, {newest.Name}");
        return newest?.Name;
    }

    /// <summary>The head's version label, or why compose.yml cannot say one (missing, or not valid YAML).</summary>
    private static async Task<(string? Version, string? Problem)> VersionLabelAsync(GitRepository repo, string head, CancellationToken ct)
    {
        var where = $"{AppEnv.DefaultComposeFile} at {head[..12]}";
        if (await repo.ShowFileAsync(head, AppEnv.DefaultComposeFile, ct) is not { } text) return (null, $"there is no {where}");
        try
        {
            return (ComposeFile.Parse(text, AppEnv.DefaultComposeFile).VersionLabel, null);
        }
        catch (ConfigException ex)
        {
            return (null, $"{where}: {ex.Message}");
        }
    }

    /// <summary>Only a run with a rung that needs the app deployed touches the swarm (lint and plan do not).</summary>
    private static bool Deploys(IReadOnlySet<Rung> rungs, FirstDeploy first) => first != FirstDeploy.None && rungs.Any(r => r != Rung.Lint);

    private async Task<AppDomainLock> HoldAsync(AppName app, StageRecorder stage, CancellationToken ct)
    {
        var held = await AppDomainLock.AcquireAsync(inputs.LockDir, app.Domain, LockBudget, clock, stage.Log, ct);
        held.Record(new LockRecord(inputs.RunId, Environment.ProcessId, entry.Name, app.Domain, app.Stack.Value,
            inputs.Server, driver, folders.Run, folders.AbraDir.Root, runStartedAt) { Target = target.Name });
        stage.Log($"holding {held.Path} (waited {held.Waited.TotalSeconds:0.0}s)");
        stage.Write("lock.txt", $"{held.Path}\nwaited_s={held.Waited.TotalSeconds:0.000}\nacquired_at={clock.GetUtcNow():O}\n");
        return held;
    }

    /// <summary>The tree's state with FetchRecipe's account of the base: the head and why each tag was taken or passed over.</summary>
    private static async Task<string> GitEvidenceAsync(GitRepository repo, BaseChoice choice, CancellationToken ct) =>
        await repo.EvidenceAsync(ct) + $"base choice:\n{string.Join("\n", choice.Lines)}\n";

    /// <summary>
    /// Gathers the tags' facts from git and chooses the base by history (<see cref="BaseChoice"/>),
    /// saying why for every tag; a requested base that cannot be one fails the stage, with git.txt.
    /// </summary>
    private static async Task<BaseChoice> ChooseBaseAsync(GitRepository repo, string head, RecipeVersion? headVersion, string? requested,
        StageRecorder stage, CancellationToken ct)
    {
        var choice = BaseChoice.Decide(head, headVersion, await repo.TagFactsAsync(head, ct), requested);
        stage.Log("base choice:\n" + string.Join("\n", choice.Lines));
        if (choice.Error is null) return choice;
        stage.Write("git.txt", await GitEvidenceAsync(repo, choice, ct));
        stage.Evidence.Add("git.txt");
        throw new StageFailure(StageStatus.Failed, choice.Error);
    }

    /// <summary>A catalogue source as a git URL or path; a history folder is built into a repository first.</summary>
    private async Task<string> MaterializeAsync(string source, string role, StageRecorder stage, CancellationToken ct)
    {
        var resolved = folders.ResolveSource(source);
        if (!Directory.Exists(resolved) || !RecipeHistory.IsHistoryFolder(resolved)) return resolved;
        var destination = Path.Combine(folders.Run, "origin", role);
        if (!Directory.Exists(destination))
        {
            stage.Log($"building the {role} repository from {resolved}/{RecipeHistory.FileName}");
            await RecipeHistory.Load(resolved).BuildAsync(destination, runner, ct);
        }
        return destination;
    }
}
