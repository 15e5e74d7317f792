using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using RecipeCi.Processes;
using RecipeCi.Recipes;

namespace RecipeCi.Forge;

/// <summary>
/// The part of Gitea's API v1 the bridge and the publish step use: comments, reactions, commit
/// statuses, pull requests, and who may write. The bot needs the issue and repository scopes
/// (<c>write:issue</c>, <c>write:repository</c>) and to be a member of the organisation, never an admin.
/// </summary>
public sealed class GiteaClient(ForgeHttp http)
{
    /// <summary>Gitea's largest page.</summary>
    public const int PageSize = 50;

    public static GiteaClient Create(Uri forge, string token, Redactor redactor, Action<string> say, RetryPlan? plan = null) =>
        new(new ForgeHttp("Gitea", new Uri(forge.ToString().TrimEnd('/') + "/api/v1/"), new AuthenticationHeaderValue("token", token), redactor, say, plan));

    private static string Repo(ForgeRepository r) => $"repos/{Uri.EscapeDataString(r.Owner)}/{Uri.EscapeDataString(r.Name)}";

    /// <summary>
    /// Every comment of the repository (issues and pull requests) updated at or after <paramref name="since"/>,
    /// oldest first, page by page until a short page.
    /// </summary>
    public async Task<List<GiteaComment>> RepoCommentsSinceAsync(ForgeRepository repo, DateTimeOffset? since, CancellationToken ct)
    {
        var all = new List<GiteaComment>();
        for (var page = 1; ; page++)
        {
            var query = $"page={page}&limit={PageSize}" + (since is { } s ? "&since=" + Uri.EscapeDataString(s.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)) : "");
            var batch = await http.SendAsync<List<GiteaComment>>(HttpMethod.Get, $"{Repo(repo)}/issues/comments?{query}", null, ct) ?? [];
            all.AddRange(batch);
            if (batch.Count < PageSize) return all;
        }
    }

    /// <summary>Every comment of one pull request (this route has no paging: all come back).</summary>
    public async Task<List<GiteaComment>> PullCommentsAsync(ForgeRepository repo, int pr, CancellationToken ct) =>
        await http.SendAsync<List<GiteaComment>>(HttpMethod.Get, $"{Repo(repo)}/issues/{pr}/comments", null, ct) ?? [];

    public async Task<GiteaComment> CreateCommentAsync(ForgeRepository repo, int pr, string body, CancellationToken ct) =>
        await http.SendAsync<GiteaComment>(HttpMethod.Post, $"{Repo(repo)}/issues/{pr}/comments", new { body }, ct) ?? throw Empty("comment");

    public async Task<GiteaComment> EditCommentAsync(ForgeRepository repo, long id, string body, CancellationToken ct) =>
        await http.SendAsync<GiteaComment>(HttpMethod.Patch, $"{Repo(repo)}/issues/comments/{id}", new { body }, ct) ?? throw Empty("comment");

    /// <summary>Reacts to a comment; reacting twice is not an error (Gitea answers 200 with the existing one).</summary>
    public Task<GiteaReaction?> ReactAsync(ForgeRepository repo, long commentId, string content, CancellationToken ct) =>
        http.SendAsync<GiteaReaction>(HttpMethod.Post, $"{Repo(repo)}/issues/comments/{commentId}/reactions", new { content }, ct);

    public async Task<GiteaStatus> SetStatusAsync(ForgeRepository repo, string sha, StatusOption status, CancellationToken ct) =>
        await http.SendAsync<GiteaStatus>(HttpMethod.Post, $"{Repo(repo)}/statuses/{Uri.EscapeDataString(sha)}", status, ct) ?? throw Empty("status");

    public async Task<GiteaPullRequest> PullAsync(ForgeRepository repo, int pr, CancellationToken ct) =>
        await http.SendAsync<GiteaPullRequest>(HttpMethod.Get, $"{Repo(repo)}/pulls/{pr}", null, ct) ?? throw Empty("pull request");

    /// <summary>A user's access to the repository. Only an admin may ask about others: a bot that is none gets 403 (a <see cref="ForgeException"/>).</summary>
    public async Task<GiteaPermission> PermissionAsync(ForgeRepository repo, string user, CancellationToken ct) =>
        await http.SendAsync<GiteaPermission>(HttpMethod.Get, $"{Repo(repo)}/collaborators/{Uri.EscapeDataString(user)}/permission", null, ct)
        ?? throw Empty("permission");

    /// <summary>Whether a user is a member of an organisation: 204 yes, 404 no, a redirect to the public list when the bot itself is no member.</summary>
    public async Task<Membership> MembershipAsync(string org, string user, CancellationToken ct)
    {
        var path = $"orgs/{Uri.EscapeDataString(org)}/members/{Uri.EscapeDataString(user)}";
        var status = await http.StatusOfAsync(HttpMethod.Get, path, ct);
        return status switch
        {
            HttpStatusCode.NoContent => Membership.Member,
            HttpStatusCode.NotFound => Membership.NotMember,
            HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found => Membership.Unreadable,
            _ => throw new ForgeException($"Gitea answered {(int)status} to GET {path}", status, transient: false),
        };
    }

    private ForgeException Empty(string what) => new($"{http.Service} answered no {what}", null, transient: false);
}
