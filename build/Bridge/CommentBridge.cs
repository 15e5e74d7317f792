using RecipeCi.Forge;
using RecipeCi.Recipes;

namespace RecipeCi.Bridge;

/// <summary>
/// From comments to builds. Comments arrive from the poll or the webhook and meet one seen-set;
/// a new <c>!testme</c> is kept as a pending trigger in the state folder before anything is asked
/// of the forge, then handled step by step (may the commenter trigger? is the PR open? react, set
/// the pending status on the head commit, start the build, point the status at it), each step saved.
/// A forge or Drone that fails for now leaves the trigger where it got, for the next poll.
/// </summary>
public sealed class CommentBridge
{
    public const string Reaction = "eyes";

    private readonly GiteaClient _gitea;
    private readonly IBuildStarter _starter;
    private readonly IReadOnlyDictionary<ForgeRepository, RecipeEntry> _recipes;
    private readonly string _bot;
    private readonly IReadOnlySet<string> _allowlist;
    private readonly string _stateDir;
    private readonly Action<string> _say;
    private readonly Lock _stateGate = new();
    private readonly SemaphoreSlim _work = new(1, 1);

    public BridgeState State { get; }

    public CommentBridge(GiteaClient gitea, IBuildStarter starter, IEnumerable<RecipeEntry> recipes, string bot, IReadOnlySet<string> allowlist,
        string stateDir, Action<string> say)
    {
        (_gitea, _starter, _bot, _allowlist, _stateDir, _say) = (gitea, starter, bot, allowlist, stateDir, say);
        _recipes = recipes.Where(r => r.Forge is not null).ToDictionary(r => r.Forge!, r => r);
        State = BridgeState.Load(stateDir);
    }

    public IReadOnlyCollection<ForgeRepository> Watched => [.. _recipes.Keys];

    /// <summary>One poll of every watched repository, then the pending triggers.</summary>
    public async Task PollAsync(CancellationToken ct)
    {
        await _work.WaitAsync(ct);
        try
        {
            foreach (var repo in _recipes.Keys) await PollRepoAsync(repo, ct);
            await AdvancePendingAsync(ct);
        }
        finally
        {
            _work.Release();
        }
    }

    /// <summary>Handles the pending triggers now (after a webhook delivery), without polling.</summary>
    public async Task AdvanceAsync(CancellationToken ct)
    {
        await _work.WaitAsync(ct);
        try { await AdvancePendingAsync(ct); }
        finally { _work.Release(); }
    }

    private async Task PollRepoAsync(ForgeRepository repo, CancellationToken ct)
    {
        RepoWatch watch;
        lock (_stateGate) watch = State.Watch(repo);
        List<GiteaComment> comments;
        try
        {
            comments = await _gitea.RepoCommentsSinceAsync(repo, watch.Since, ct);
        }
        catch (ForgeException ex)
        {
            _say($"{repo}: could not read comments ({ex.Message}); trying again at the next poll");
            return;
        }
        lock (_stateGate)
        {
            if (!watch.Primed)
            {
                // Comments made before the bridge first looked are history, not requests.
                watch.Seen.UnionWith(comments.Select(c => c.Id));
                watch.Primed = true;
                _say($"{repo}: watching; {comments.Count} existing comment(s) marked seen");
            }
            else
            {
                foreach (var c in comments) Take(SeenComment.Polled(repo, c), "poll");
            }
            if (comments.Count > 0 && comments.Max(c => c.UpdatedAt) is var newest && (watch.Since is not { } since || newest > since)) watch.Since = newest;
            State.Save(_stateDir);
        }
    }

    /// <summary>A comment from a webhook delivery: judged against the same seen-set as the poll's, and saved.</summary>
    public Disposition Accept(SeenComment comment)
    {
        lock (_stateGate)
        {
            var disposition = Take(comment, "webhook");
            State.Save(_stateDir);
            return disposition;
        }
    }

    public bool Watches(ForgeRepository repo) => _recipes.ContainsKey(repo);

    private Disposition Take(SeenComment c, string via)
    {
        var watch = State.Watch(c.Repo);
        var (disposition, mode) = CommentJudge.Judge(c, _bot, watch.Seen.Contains(c.Id));
        watch.Seen.Add(c.Id);
        if (disposition == Disposition.Trigger && mode is { } m)
        {
            var trigger = new PendingTrigger { Repo = c.Repo.ToString(), Recipe = _recipes[c.Repo].Name, Pr = c.Pr!.Value, CommentId = c.Id, Author = c.Author, Mode = m };
            State.Pending.Add(trigger);
            _say($"{trigger}: !testme{(m == Publishing.TriggerMode.Quick ? " --quick" : "")} by {c.Author} ({via})");
        }
        else if (disposition is Disposition.Edited or Disposition.OwnComment && Publishing.TriggerParser.Parse(c.Body) is not null)
        {
            _say($"{c.Repo} comment {c.Id} by {c.Author} ({via}): {(disposition == Disposition.Edited ? "an edited comment" : "the bot's own comment")} never triggers");
        }
        return disposition;
    }

    private async Task AdvancePendingAsync(CancellationToken ct)
    {
        List<PendingTrigger> pending;
        lock (_stateGate) pending = [.. State.Pending];
        foreach (var trigger in pending)
        {
            ct.ThrowIfCancellationRequested();
            bool done;
            try
            {
                done = await AdvanceAsync(trigger, ct);
            }
            catch (ForgeException ex) when (ex.Transient)
            {
                trigger.Tries++;
                trigger.LastError = ex.Message;
                _say($"{trigger}: {ex.Message}; kept at {trigger.Step} (try {trigger.Tries}), retried at the next poll");
                done = false;
            }
            catch (ForgeException ex)
            {
                _say($"{trigger}: {ex.Message}; this trigger is dropped");
                await SayErrorAsync(trigger, ex.Message, ct);
                done = true;
            }
            lock (_stateGate)
            {
                if (done) State.Pending.Remove(trigger);
                State.Save(_stateDir);
            }
        }
    }

    private void Save()
    {
        lock (_stateGate) State.Save(_stateDir);
    }

    /// <summary>Moves a trigger as far as it goes; true when it needs nothing more.</summary>
    private async Task<bool> AdvanceAsync(PendingTrigger t, CancellationToken ct)
    {
        var repo = t.Repository;
        if (t.Step == TriggerStep.Received)
        {
            var authority = await Authority.AskAsync(_gitea, repo, t.Author, _allowlist, ct);
            if (!authority.Allowed)
            {
                _say($"{t}: {authority.Why}; no run");
                await ReplyOnceAsync(t, ct);
                return true;
            }
            var pull = await _gitea.PullAsync(repo, t.Pr, ct);
            if (pull.State != PullState.Open)
            {
                _say($"{t}: the pull request is {pull.State.ToString().ToLowerInvariant()}; no run");
                return true;
            }
            t.HeadSha = pull.Head.Sha;
            t.Step = TriggerStep.Authorised;
            Save();
            _say($"{t}: {authority.Why}; testing head {t.HeadSha}");
        }
        var sha = t.HeadSha!;
        if (t.Step == TriggerStep.Authorised)
        {
            await _gitea.ReactAsync(repo, t.CommentId, Reaction, ct);
            await _gitea.SetStatusAsync(repo, sha, new StatusOption(StatusState.Pending, t.Context, $"!testme by @{t.Author}: starting", null), ct);
            t.Step = TriggerStep.Acknowledged;
            Save();
        }
        if (t.Step == TriggerStep.Acknowledged)
        {
            var build = await _starter.StartAsync(t, ct);
            (t.BuildName, t.BuildLink, t.Step) = (build.Name, build.Link, TriggerStep.Started);
            Save();
            _say($"{t}: {build.Name} started{(build.Link is null ? "" : " " + build.Link)}");
        }
        await _gitea.SetStatusAsync(repo, sha, new StatusOption(StatusState.Pending, t.Context, $"{t.BuildName}: running for @{t.Author}'s !testme", t.BuildLink), ct);
        return true;
    }

    private async Task ReplyOnceAsync(PendingTrigger t, CancellationToken ct)
    {
        var key = $"{t.Repo}#{t.Pr}";
        lock (_stateGate)
            if (State.Replied.Contains(key)) return;
        await _gitea.CreateCommentAsync(t.Repository, t.Pr, Authority.Reply(t.Author, t.Repository), ct);
        lock (_stateGate)
        {
            State.Replied.Add(key);
            State.Save(_stateDir);
        }
    }

    /// <summary>A trigger that cannot go on says so on its commit, when it has one; a failure to say it is only logged.</summary>
    private async Task SayErrorAsync(PendingTrigger t, string why, CancellationToken ct)
    {
        if (t.HeadSha is null) return;
        try
        {
            var text = why.Length <= 120 ? why : why[..119] + "…";
            await _gitea.SetStatusAsync(t.Repository, t.HeadSha, new StatusOption(StatusState.Error, t.Context, text, t.BuildLink), ct);
        }
        catch (ForgeException ex)
        {
            _say($"{t}: could not set the error status either: {ex.Message}");
        }
    }
}
