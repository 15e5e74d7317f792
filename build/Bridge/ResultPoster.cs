using RecipeCi.Forge;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Verdicts;

namespace RecipeCi.Bridge;

/// <summary>
/// <c>Publish --post</c>: the run's comment and final status go to the PR. The PR keeps ONE
/// comment per recipe, the bot's comment that starts with the recipe's marker, edited on every
/// re-run; the status goes on the commit that was tested, and when the PR's head has moved since,
/// the comment says which commit the result is about. A forge that fails is said, never thrown:
/// posting cannot change a run's verdict or its exit code.
/// </summary>
public sealed class ResultPoster(GiteaClient gitea, string bot, Action<string> say)
{
    /// <returns>Whether both the comment and the status were posted.</returns>
    public async Task<bool> PostAsync(ForgeRepository repo, int pr, string recipe, string testedSha, string comment, CommitStatus status, CancellationToken ct)
    {
        try
        {
            var pull = await gitea.PullAsync(repo, pr, ct);
            var body = pull.Head.Sha == testedSha ? comment
                : comment.TrimEnd() + $"\n\n**Tested commit:** `{testedSha}`. The pull request's head has moved to `{pull.Head.Sha}` since; comment `!testme` to test it.\n";
            var marker = PrComment.Marker(recipe);
            var existing = (await gitea.PullCommentsAsync(repo, pr, ct))
                .LastOrDefault(c => string.Equals(c.User?.Login, bot, StringComparison.OrdinalIgnoreCase) && c.Body.StartsWith(marker, StringComparison.Ordinal));
            var posted = existing is null
                ? await gitea.CreateCommentAsync(repo, pr, body, ct)
                : await gitea.EditCommentAsync(repo, existing.Id, body, ct);
            say($"{(existing is null ? "posted" : "edited")} the comment {posted.HtmlUrl ?? posted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)} on {repo}#{pr}");
            var state = EnumWords.Parse<StatusState>(status.State) ?? StatusState.Error;
            await gitea.SetStatusAsync(repo, testedSha, new StatusOption(state, status.Context, status.Description, status.TargetUrl), ct);
            say($"set {status.Context} to {status.State} on {testedSha}");
            return true;
        }
        catch (ForgeException ex)
        {
            say($"could not post to {repo}#{pr}: {ex.Message}. The run's verdict and exit code stand; pr-comment.md and commit-status.json hold what was to be posted");
            return false;
        }
    }
}
