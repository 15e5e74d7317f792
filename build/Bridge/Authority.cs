using System.Net;
using RecipeCi.Forge;
using RecipeCi.Recipes;

namespace RecipeCi.Bridge;

/// <summary>What the forge said about a commenter: each answer that was asked for (null: not asked).</summary>
/// <param name="PermissionRefused">The forge refused the permission check (it answers only an admin, which the bot is not).</param>
public sealed record AuthorityFacts(bool Allowlisted, Membership? Membership, GiteaPermission? Permission, bool PermissionRefused);

/// <summary>Whether a commenter may start a run, and why, in words for the log.</summary>
public sealed record AuthorityVerdict(bool Allowed, string Why);

/// <summary>
/// Who may trigger: the operator's allowlist, members of the repository's organisation, and users
/// with write access. The permission check is answered by Gitea to admins only, so a bot that is
/// rightly no admin gets 403: that is "cannot tell", never "no" for everyone; membership carries it.
/// </summary>
public static class Authority
{
    public static AuthorityVerdict Decide(string user, ForgeRepository repo, AuthorityFacts f)
    {
        if (f.Allowlisted) return new(true, $"{user} is on the allowlist");
        if (f.Membership == Membership.Member) return new(true, $"{user} is a member of {repo.Owner}");
        if (f.Permission?.CanWrite == true) return new(true, $"{user} has {f.Permission.Permission} access to {repo}");
        var asked = new List<string>();
        if (f.Membership is { } m)
            asked.Add(m == Membership.Unreadable ? $"{repo.Owner}'s private members are hidden from the bot (make it a member)" : $"not a member of {repo.Owner}");
        if (f.Permission is { } p) asked.Add($"{p.Permission} access to {repo}");
        if (f.PermissionRefused) asked.Add("the forge answers the permission check to admins only");
        return new(false, $"{user} may not trigger: {string.Join("; ", asked.DefaultIfEmpty("not on the allowlist"))}");
    }

    /// <summary>Asks the forge as little as needed: the allowlist, then membership, then the permission check.</summary>
    public static async Task<AuthorityVerdict> AskAsync(GiteaClient gitea, ForgeRepository repo, string user, IReadOnlySet<string> allowlist, CancellationToken ct)
    {
        if (allowlist.Contains(user)) return Decide(user, repo, new AuthorityFacts(true, null, null, false));
        var membership = await gitea.MembershipAsync(repo.Owner, user, ct);
        if (membership == Membership.Member) return Decide(user, repo, new AuthorityFacts(false, membership, null, false));
        try
        {
            return Decide(user, repo, new AuthorityFacts(false, membership, await gitea.PermissionAsync(repo, user, ct), false));
        }
        catch (ForgeException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return Decide(user, repo, new AuthorityFacts(false, membership, null, ex.Status == HttpStatusCode.Forbidden));
        }
    }

    /// <summary>The one reply a PR gets when someone who may not trigger comments <c>!testme</c>.</summary>
    public static string Reply(string user, ForgeRepository repo) =>
        $"@{user}: Recipe CI runs on `!testme` only for members of the {repo.Owner} organisation, users with write access to {repo} " +
        "and the operator's allowlist. Ask one of them to comment `!testme` (or `!testme --quick`) for this pull request. " +
        "(Recipe CI says this once per pull request.)";
}
