using RecipeCi.Forge;
using RecipeCi.Publishing;
using RecipeCi.Recipes;

namespace RecipeCi.Bridge;

/// <summary>What happened to a comment, as the poll infers it or the webhook says.</summary>
public enum CommentAction
{
    Created,
    Edited,
    Deleted,
}

/// <summary>A comment as the bridge sees it, from a poll or a webhook delivery alike.</summary>
public sealed record SeenComment(ForgeRepository Repo, long Id, int? Pr, string Author, string Body, CommentAction Action)
{
    /// <summary>From a poll: a comment updated after its creation was edited (Gitea does not say which edit).</summary>
    public static SeenComment Polled(ForgeRepository repo, GiteaComment c) =>
        new(repo, c.Id, c.PullRequest, c.User?.Login ?? "", c.Body, c.Edited ? CommentAction.Edited : CommentAction.Created);
}

/// <summary>What the bridge does with a comment.</summary>
public enum Disposition
{
    /// <summary>A new <c>!testme</c> on a PR of an enrolled recipe: kept as a pending trigger.</summary>
    Trigger,
    /// <summary>Handled before (a replayed delivery, or the poll and the webhook both bringing it).</summary>
    AlreadySeen,
    /// <summary>Edits never trigger, whatever the new text says: the comment was read when it was made.</summary>
    Edited,
    Deleted,
    /// <summary>The bot's own comments never trigger, even when they quote the command.</summary>
    OwnComment,
    /// <summary>A comment on an issue, not a pull request.</summary>
    NotOnAPullRequest,
    NotATrigger,
}

/// <summary>
/// The bridge's first decision about a comment, pure: from what the comment is, whether its id was
/// seen, and the bot's login. Who may trigger is decided afterwards, against the forge
/// (<see cref="Authority"/>), for the comments this keeps.
/// </summary>
public static class CommentJudge
{
    public static (Disposition Disposition, TriggerMode? Mode) Judge(SeenComment c, string bot, bool seen)
    {
        if (seen) return (Disposition.AlreadySeen, null);
        if (c.Action == CommentAction.Deleted) return (Disposition.Deleted, null);
        if (c.Action == CommentAction.Edited) return (Disposition.Edited, null);
        if (string.Equals(c.Author, bot, StringComparison.OrdinalIgnoreCase)) return (Disposition.OwnComment, null);
        if (c.Pr is null) return (Disposition.NotOnAPullRequest, null);
        return TriggerParser.Parse(c.Body) is { } mode ? (Disposition.Trigger, mode) : (Disposition.NotATrigger, null);
    }
}
