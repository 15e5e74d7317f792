using RecipeCi.Evidence;
using RecipeCi.Lint;
using RecipeCi.Locks;
using RecipeCi.Swarm;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// FetchRecipe: clones the recipe (or its PR mirror, plus upstream tags) into the run's own
/// ABRA_DIR, resolves the head ref and its version, chooses the base release, adds the overlay,
/// names the app and takes its lock.
/// </summary>
public static class RecipeFetcher
{
    public const string OverlayName = "compose.ccci.yml";
    /// <summary>The base-only overlay's name in the run's tree (its source is overlays/&lt;recipe&gt;/previous/compose.ccci.yml).</summary>
    public const string PreviousOverlayName = "compose.ccci.previous.yml";
    public static readonly TimeSpan LockBudget = TimeSpan.FromMinutes(90);

    public static async Task<RunPlan> FetchAsync(RecipeRun run, StageRecorder stage, CancellationToken ct)
    {
        var upstream = await MaterializeAsync(run, run.Entry.Repository, "upstream", stage, ct);
        var fromMirror = run.Entry.Mirror is not null && (run.Options.Pr is not null || run.Options.Ref is not null);
        var source = fromMirror ? await MaterializeAsync(run, run.Entry.Mirror!, "mirror", stage, ct) : upstream;
        stage.Log($"fetching {run.Entry.Name} from {source}");
        var repo = await GitRepository.CloneAsync(source, run.RecipePath, run.Runner, ct);
        if (fromMirror) await repo.FetchTagsAsync(upstream, ct);

        // The expected head comes from the run's inputs (Drone: DRONE_COMMIT_SHA), never from a
        // workspace HEAD that Drone may have merged.
        var wanted = run.Options.Ref ?? "HEAD";
        var head = await repo.TryResolveAsync(wanted, ct);
        if (head is null && await repo.TryFetchAsync(source, wanted, ct)) head = await repo.TryResolveAsync("FETCH_HEAD", ct);
        if (head is null)
            throw new StageFailure(StageStatus.Failed, $"ref '{wanted}' is not in {source}. Fix: pass --ref=<a commit or tag of that repository>");
        await repo.CheckoutAsync(head, ct);

        var (versionText, composeProblem) = await VersionLabelAsync(repo, head, ct);
        var headVersion = RecipeVersion.TryParse(versionText, out var hv) ? hv : null;
        stage.Log($"head {head[..12]} declares version {versionText ?? "(none)"}" + (composeProblem is null ? "" : $" ({composeProblem})"));

        var rungs = run.Target.Planned(run.Options.Rungs);
        var choice = await ChooseBaseAsync(repo, head, headVersion, run.Options.Base ?? run.Entry.Base, stage, ct);
        var basePlan = new BasePlan(choice.Tag, choice.How);
        var firstDeploy = run.Target.Choose(run.Options.Rungs, basePlan);
        stage.Log($"base: {basePlan.How}; first deploy: {firstDeploy switch
        {
            FirstDeploy.Base => "the base, then the head as an upgrade",
            FirstDeploy.Head => "the head",
            _ => "none",
        }}; rungs: {string.Join(", ", rungs.Order().Select(r => r.Word()))}");

        string? overlayFile = null;
        var overlay = Path.Combine(run.CatalogDirectory, "overlays", run.Entry.Name, OverlayName);
        if (File.Exists(overlay))
        {
            File.Copy(overlay, Path.Combine(repo.Path, OverlayName));
            overlayFile = OverlayName;
            stage.Log($"overlay: {overlay} added to the run's tree (the tree is now dirty, so deploys are --chaos)");
        }

        // The base-only overlay matters only when a base is deployed; the head never sees it.
        string? previousFile = null;
        var previous = Path.Combine(run.CatalogDirectory, "overlays", run.Entry.Name, "previous", OverlayName);
        if (File.Exists(previous) && firstDeploy == FirstDeploy.Base)
        {
            File.Copy(previous, Path.Combine(repo.Path, PreviousOverlayName));
            previousFile = PreviousOverlayName;
            stage.Log($"base-only overlay: {previous} added to the run's tree as {PreviousOverlayName}");
        }

        var customization = CustomizationManifest.Describe(run, overlayFile, previousFile, rungs);
        stage.Log("customization:\n" + string.Join("\n", CustomizationManifest.Lines(customization)));
        stage.WriteJson("customization.json", customization);

        var domain = AppNaming.Domain(run.Entry.Name, run.Options.Pr, head, run.Options.DomainSuffix);
        var app = new AppName(domain, new StackName(AppNaming.StackName(domain)));
        stage.Log($"app domain {app.Domain}, stack {app.Stack}");
        try
        {
            await GitEvidence.WriteAsync(repo, stage, "git.txt", ct, choice.Lines);

            // Lint must still get to report it; a deploy of a tree abra cannot read would only fail later.
            if (composeProblem is not null && Deploys(rungs, firstDeploy))
                throw new StageFailure(StageStatus.Failed, $"{LintRules.ComposeInvalid.Id} {LintRules.ComposeInvalid.Name}: {composeProblem}");
            var held = Deploys(rungs, firstDeploy) ? await HoldAsync(run, app, stage, ct) : null;
            if (held is null) stage.Log("the run deploys nothing: no app-domain lock is taken");
            return new RunPlan(repo, head, headVersion, basePlan, firstDeploy, overlayFile, app, rungs, held, customization) { PreviousOverlayFile = previousFile };
        }
        catch (Exception ex)
        {
            // Named before the lock is taken: a run stopped while waiting must say whose stack it left alone.
            throw new StoppedShort(app, ex);
        }
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

    private static async Task<AppDomainLock> HoldAsync(RecipeRun run, AppName app, StageRecorder stage, CancellationToken ct)
    {
        var held = await AppDomainLock.AcquireAsync(run.Options.LockDir, app.Domain, LockBudget, stage.Log, ct);
        held.Record(new LockRecord(run.Options.RunId, Environment.ProcessId, run.Entry.Name, app.Domain, app.Stack.Value,
            run.Options.Server, run.Abra.Kind, run.RunDirectory, run.AbraDir.Root, run.StartedAt));
        stage.Log($"holding {held.Path} (waited {held.Waited.TotalSeconds:0.0}s)");
        stage.Write("lock.txt", $"{held.Path}\nwaited_s={held.Waited.TotalSeconds:0.000}\nacquired_at={DateTimeOffset.UtcNow:O}\n");
        return held;
    }

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
        await GitEvidence.WriteAsync(repo, stage, "git.txt", ct, choice.Lines);
        stage.Evidence.Add("git.txt");
        throw new StageFailure(StageStatus.Failed, choice.Error);
    }

    /// <summary>A catalogue source as a git URL or path; a history folder is built into a repository first.</summary>
    private static async Task<string> MaterializeAsync(RecipeRun run, string source, string role, StageRecorder stage, CancellationToken ct)
    {
        var resolved = run.ResolveSource(source);
        if (!Directory.Exists(resolved) || !RecipeHistory.IsHistoryFolder(resolved)) return resolved;
        var destination = Path.Combine(run.RunDirectory, "origin", role);
        if (!Directory.Exists(destination))
        {
            stage.Log($"building the {role} repository from {resolved}/{RecipeHistory.FileName}");
            await RecipeHistory.Load(resolved).BuildAsync(destination, run.Runner, ct);
        }
        return destination;
    }
}
