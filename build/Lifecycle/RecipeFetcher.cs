using RecipeCi.Evidence;
using RecipeCi.Locks;
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

    public static async Task FetchAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var upstream = await MaterializeAsync(run, run.Entry.Repository, "upstream", stage);
        var fromMirror = run.Entry.Mirror is not null && (run.Options.Pr is not null || run.Options.Ref is not null);
        var source = fromMirror ? await MaterializeAsync(run, run.Entry.Mirror!, "mirror", stage) : upstream;
        stage.Log($"fetching {run.Entry.Name} from {source}");
        var repo = await GitRepository.CloneAsync(source, run.RecipePath, run.Runner, ct);
        if (fromMirror) await repo.FetchTagsAsync(upstream, ct);
        run.Repo = repo;

        // The expected head comes from the run's inputs (Drone: DRONE_COMMIT_SHA), never from a
        // workspace HEAD that Drone may have merged.
        var wanted = run.Options.Ref ?? "HEAD";
        var head = await repo.TryResolveAsync(wanted, ct);
        if (head is null && await repo.TryFetchAsync(source, wanted, ct)) head = await repo.TryResolveAsync("FETCH_HEAD", ct);
        if (head is null)
            throw new StageFailure(StageStatus.Failed, $"ref '{wanted}' is not in {source}. Fix: pass --ref=<a commit or tag of that repository>");
        await repo.CheckoutAsync(head, ct);
        run.HeadRef = head;

        var compose = await repo.ShowFileAsync(head, "compose.yml", ct)
            ?? throw new StageFailure(StageStatus.Failed, $"{run.Entry.Name} has no compose.yml at {head[..12]}");
        var versionText = ComposeFile.Parse(compose, $"{run.Entry.Name}@{head[..12]}:compose.yml").VersionLabel;
        run.HeadVersion = RecipeVersion.TryParse(versionText, out var hv) ? hv : null;
        stage.Log($"head {head[..12]} declares version {versionText ?? "(none)"}");

        run.Base = ChooseBase(await repo.ReleaseTagsAsync(ct), run.Options.Base ?? run.Entry.Base, run.HeadVersion, head);
        run.FirstDeploy = TargetPlan.Choose(run.Target, run.Options.Rungs, run.Base);
        stage.Log($"base: {run.Base.How}; first deploy: {run.FirstDeploy switch
        {
            FirstDeploy.Base => "the base, then the head as an upgrade",
            FirstDeploy.Head => "the head",
            _ => "none",
        }}; rungs: {string.Join(", ", Verdicts.Rungs.Names.Where(run.Options.Rungs.Contains))}");

        var overlay = Path.Combine(run.CatalogDirectory, "overlays", run.Entry.Name, OverlayName);
        if (File.Exists(overlay))
        {
            File.Copy(overlay, Path.Combine(repo.Path, OverlayName));
            run.OverlayFile = OverlayName;
            stage.Log($"overlay: {overlay} added to the run's tree (the tree is now dirty, so deploys are --chaos)");
        }

        run.Result.Customization = CustomizationManifest.Describe(run);
        stage.Log("customization:\n" + string.Join("\n", CustomizationManifest.Lines(run.Result.Customization)));
        stage.WriteJson("customization.json", run.Result.Customization);

        run.Domain = AppNaming.Domain(run.Entry.Name, run.Options.Pr, head, run.Options.DomainSuffix);
        run.Stack = AppNaming.StackName(run.Domain);
        stage.Log($"app domain {run.Domain}, stack {run.Stack}");
        await GitEvidence.WriteAsync(repo, stage, "git.txt", ct);

        run.Lock = await AppDomainLock.AcquireAsync(run.Options.LockDir, run.Domain, LockBudget, stage.Log, ct);
        run.Lock.Record(new LockRecord(run.Options.RunId, Environment.ProcessId, run.Entry.Name, run.Domain, run.Stack,
            run.Options.Server, run.Abra.Kind, run.RunDirectory, run.AbraDir.Root, run.Result.StartedAt));
        stage.Log($"holding {run.Lock.Path} (waited {run.Lock.Waited.TotalSeconds:0.0}s)");
        stage.Write("lock.txt", $"{run.Lock.Path}\nwaited_s={run.Lock.Waited.TotalSeconds:0.000}\nacquired_at={DateTimeOffset.UtcNow:O}\n");
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

public static class GitEvidence
{
    public static async Task WriteAsync(GitRepository repo, StageRecorder stage, string file, CancellationToken ct)
    {
        var tags = await repo.ReleaseTagsAsync(ct);
        stage.Write(file,
            $"HEAD: {await repo.HeadAsync(ct)}\n" +
            $"describe: {await repo.DescribeAsync(ct)}\n" +
            $"status (dirty when not empty):\n{await repo.StatusAsync(ct)}\n" +
            $"release tags: {string.Join(", ", tags.Select(t => $"{t.Name}={t.Commit[..8]}"))}\n");
    }
}
