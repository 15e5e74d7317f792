using RecipeCi.Files;
using RecipeCi.Publishing;
using RecipeCi.Recipes;

namespace RecipeCi.Bridge;

/// <summary>What the bridge knows of one watched repository.</summary>
public sealed class RepoWatch
{
    /// <summary>The first poll has marked the comments that were already there as seen.</summary>
    public bool Primed { get; set; }
    /// <summary>The newest update time the forge reported (its own clock): the next poll asks from it on.</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>Every comment id handled, by the poll or the webhook alike: none is acted on twice.</summary>
    public HashSet<long> Seen { get; init; } = [];
}

/// <summary>How far a trigger got; each step is saved before the next starts, so a retry resumes instead of repeating.</summary>
public enum TriggerStep
{
    /// <summary>Read from a comment and kept; the commenter is not checked yet.</summary>
    Received,
    /// <summary>The commenter may trigger and the PR is open; its head commit is taken.</summary>
    Authorised,
    /// <summary>Reacted to, and the pending status is on the head commit.</summary>
    Acknowledged,
    /// <summary>The build is started; the pending status has yet to point at it.</summary>
    Started,
}

/// <summary>A <c>!testme</c> the bridge has accepted and not finished handling: kept in the state folder until it is.</summary>
public sealed class PendingTrigger
{
    public required string Repo { get; init; }
    public required string Recipe { get; init; }
    public required int Pr { get; init; }
    public required long CommentId { get; init; }
    public required string Author { get; init; }
    public required TriggerMode Mode { get; init; }
    public TriggerStep Step { get; set; }
    /// <summary>The PR's head commit when the trigger was authorised: what is tested, and where every status goes.</summary>
    public string? HeadSha { get; set; }
    public string? BuildLink { get; set; }
    public string? BuildName { get; set; }
    public int Tries { get; set; }
    public string? LastError { get; set; }

    public ForgeRepository Repository => ForgeRepository.TryParse(Repo)!;
    public string Context => $"recipe-ci/{Recipe}{(Mode == TriggerMode.Quick ? "/quick" : "")}";
    public override string ToString() => $"{Repo}#{Pr} comment {CommentId} ({Context})";
}

/// <summary>
/// The bridge's memory in the state folder (<c>bridge/state.json</c>), rewritten atomically after
/// every change: what each repository has shown, the triggers still to handle, and the PRs already
/// told who may trigger. A restarted bridge reads it back and neither replays nor loses anything.
/// </summary>
public sealed class BridgeState
{
    public Dictionary<string, RepoWatch> Repos { get; init; } = [];
    public List<PendingTrigger> Pending { get; init; } = [];
    /// <summary>PRs (<c>owner/name#n</c>) already answered that the commenter may not trigger: once per PR.</summary>
    public HashSet<string> Replied { get; init; } = [];

    public RepoWatch Watch(ForgeRepository repo)
    {
        if (!Repos.TryGetValue(repo.ToString(), out var watch)) Repos[repo.ToString()] = watch = new RepoWatch();
        return watch;
    }

    public static string PathIn(string stateDir) => Path.Combine(stateDir, "bridge", "state.json");

    public static BridgeState Load(string stateDir) =>
        File.Exists(PathIn(stateDir)) ? JsonConvention.Read<BridgeState>(PathIn(stateDir)) : new BridgeState();

    public void Save(string stateDir) => ArtifactWriter.NoSecrets.WriteJson(PathIn(stateDir), this);
}
