using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Forge;

/// <summary>A forge account, as Gitea's API names it.</summary>
public sealed record GiteaUser(string Login);

/// <summary>
/// A comment on an issue or a pull request (Gitea's <c>Comment</c>). On a pull request's comment
/// <c>pull_request_url</c> is the PR's web page (<c>.../pulls/&lt;n&gt;</c>) and <c>issue_url</c> is empty.
/// </summary>
public sealed record GiteaComment
{
    public long Id { get; init; }
    public string Body { get; init; } = "";
    public GiteaUser? User { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? HtmlUrl { get; init; }
    public string? IssueUrl { get; init; }
    public string? PullRequestUrl { get; init; }

    /// <summary>The pull request's number, read from its URL; null on an issue's comment.</summary>
    [JsonIgnore]
    public int? PullRequest =>
        PullRequestUrl is { Length: > 0 } url && url.TrimEnd('/').Split('/') is [.., "pulls", var n] && int.TryParse(n, out var number) ? number : null;

    /// <summary>Gitea keeps times to the second: a comment whose update is later than its creation was edited.</summary>
    [JsonIgnore]
    public bool Edited => UpdatedAt.ToUnixTimeSeconds() > CreatedAt.ToUnixTimeSeconds();
}

/// <summary>One end of a pull request: the branch and the commit it points at.</summary>
public sealed record GiteaBranchRef(string? Label, string? Ref, string Sha);

[JsonConverter(typeof(StringEnumConverter))]
public enum PullState
{
    [EnumMember(Value = "open")] Open,
    [EnumMember(Value = "closed")] Closed,
}

public sealed record GiteaPullRequest
{
    public int Number { get; init; }
    public PullState State { get; init; }
    public bool Merged { get; init; }
    public string? HtmlUrl { get; init; }
    public GiteaUser? User { get; init; }
    public GiteaBranchRef Head { get; init; } = new(null, null, "");
    public GiteaBranchRef? Base { get; init; }
}

/// <summary>A commit status's state: what Gitea accepts in every version.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum StatusState
{
    [EnumMember(Value = "pending")] Pending,
    [EnumMember(Value = "success")] Success,
    [EnumMember(Value = "error")] Error,
    [EnumMember(Value = "failure")] Failure,
}

/// <summary>Gitea's <c>CreateStatusOption</c>; posting the same context again replaces the earlier status.</summary>
public sealed record StatusOption(StatusState State, string Context, string Description, string? TargetUrl);

/// <summary>What Gitea answers to a status it created.</summary>
public sealed record GiteaStatus(long Id, StatusState Status, string Context, string? Description, string? TargetUrl);

/// <summary>A reaction on a comment; <c>content</c> must be one of the forge's <c>[ui] REACTIONS</c>.</summary>
public sealed record GiteaReaction(GiteaUser? User, string Content);

/// <summary>A user's access to a repository (Gitea's <c>RepoCollaboratorPermission</c>).</summary>
public sealed record GiteaPermission(string Permission, string? RoleName)
{
    /// <summary>Write and above may start a run.</summary>
    public bool CanWrite => Permission is "write" or "admin" or "owner";
}

/// <summary>What the forge says about a user's membership of an organisation.</summary>
public enum Membership
{
    Member,
    NotMember,
    /// <summary>The forge sent the question to the public members list: the bot is no member, so it cannot see private membership.</summary>
    Unreadable,
}
