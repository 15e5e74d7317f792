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
    public static readonly TimeSpan LockBudget = TimeSpan.FromMinutes(90);

    public static async Task<RunPlan> FetchAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var upstream = await MaterializeAsync(run, run.Entry.Repository, "upstream", stage);
        var fromMirror = run.Entry.Mirror is not null && (run.Options.Pr is not null || run.Options.Ref is not null);
        var source = fromMirror ? await MaterializeAsync(run, run.Entry.Mirror!, "mirror", stage) : upstream;
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
        var basePlan = ChooseBase(await repo.ReleaseTagsAsync(ct), run.Options.Base ?? run.Entry.Base, headVersion, head);
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

        var customization = CustomizationManifest.Describe(run, overlayFile, rungs);
        stage.Log("customization:\n" + string.Join("\n", CustomizationManifest.Lines(customization)));
        stage.WriteJson("customization.json", customization);

        var domain = AppNaming.Domain(run.Entry.Name, run.Options.Pr, head, run.Options.DomainSuffix);
        var app = new AppName(domain, new StackName(AppNaming.StackName(domain)));
        // Named before the lock is taken: a run stopped while waiting must say whose stack it left alone.
        run.Outputs.Put(app);
        stage.Log($"app domain {app.Domain}, stack {app.Stack}");
        await GitEvidence.WriteAsync(repo, stage, "git.txt", ct);

        // Lint must still get to report it; a deploy of a tree abra cannot read would only fail later.
        if (composeProblem is not null && Deploys(rungs, firstDeploy))
            throw new StageFailure(StageStatus.Failed, $"{LintRules.ComposeInvalid.Id} {LintRules.ComposeInvalid.Name}: {composeProblem}");
        var held = Deploys(rungs, firstDeploy) ? await HoldAsync(run, app, stage, ct) : null;
        if (held is null) stage.Log("the run deploys nothing: no app-domain lock is taken");
        return new RunPlan(repo, head, headVersion, basePlan, firstDeploy, overlayFile, app, rungs, held, customization);
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
    /// The base: an explicit override (which must be a release tag), else the newest release
    /// strictly older than the head's version (so a head that equals the newest tag steps back to
    /// the one before), else none, with the reason.
    /// </summary>
    public static BasePlan ChooseBase(IReadOnlyList<ReleaseTag> tags, string? requested, RecipeVersion? headVersion, string head)
    {
        if (requested is not null)
        {
            var tag = tags.FirstOrDefault(t => t.Name == requested)
                ?? throw new StageFailure(StageStatus.Failed,
                    $"base '{requested}' is not a release tag of the recipe (tags: {(tags.Count == 0 ? "none" : string.Join(", ", tags.Select(t => t.Name)))}). Fix: pass an existing tag to --base");
            return new BasePlan(tag, $"{tag.Name} (requested)");
        }
        if (tags.Count == 0) return new BasePlan(null, "skipped: the recipe has no published release");
        if (headVersion is null)
        {
            // Without a version on the head, "older" is decided by history: the newest tag that is not the head itself.
            var older = tags.LastOrDefault(t => t.Commit != head);
            return older is null
                ? new BasePlan(null, "skipped: the head is the only release")
                : new BasePlan(older, $"{older.Name} (newest release; the head declares no version)");
        }
        var predecessor = tags.LastOrDefault(t => t.Version < headVersion);
        return predecessor is null
            ? new BasePlan(null, $"skipped: no published release older than the head's {headVersion}")
            : new BasePlan(predecessor, $"{predecessor.Name} (newest release older than the head's {headVersion})");
    }

    /// <summary>A catalogue source as a git URL or path; a history folder is built into a repository first.</summary>
    private static async Task<string> MaterializeAsync(RecipeRun run, string source, string role, StageRecorder stage)
    {
        var resolved = run.ResolveSource(source);
        if (!Directory.Exists(resolved) || !RecipeHistory.IsHistoryFolder(resolved)) return resolved;
        var destination = Path.Combine(run.RunDirectory, "origin", role);
        if (!Directory.Exists(destination))
        {
            stage.Log($"building the {role} repository from {resolved}/{RecipeHistory.FileName}");
            await RecipeHistory.Load(resolved).BuildAsync(destination, run.Runner, run.Cancellation);
        }
        return destination;
    }
}
