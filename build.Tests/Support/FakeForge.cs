using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RecipeCi.Files;

namespace RecipeCi.Tests.Support;

/// <summary>One request the fake received, as it came (the token is never kept).</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Body, int Answer)
{
    public JObject Json => JObject.Parse(Body);
}

/// <summary>A pull request of a fake repository.</summary>
public sealed class FakePull
{
    public required int Number { get; init; }
    public string State { get; set; } = "open";
    public required string HeadSha { get; set; }
    public string HeadRef { get; init; } = "feature";
}

/// <summary>A comment the fake holds; ids are global, as in Gitea.</summary>
public sealed class FakeComment
{
    public required long Id { get; init; }
    public required string Repo { get; init; }
    public required int Issue { get; init; }
    public required bool OnPull { get; init; }
    public required string User { get; init; }
    public required string Body { get; set; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
}

public sealed record FakeStatus(string Repo, string Sha, string State, string Context, string Description, string? TargetUrl);

/// <summary>A build the fake Drone was asked for.</summary>
public sealed class FakeBuild
{
    public required long Number { get; init; }
    public required IReadOnlyDictionary<string, string> Params { get; init; }
    public required string Commit { get; init; }
    public string Status { get; set; } = "pending";
}

/// <summary>
/// A Gitea (API v1) and Drone server on 127.0.0.1 that answers exactly the subset Recipe CI uses,
/// with the paths, fields, codes, paging and auth of the real ones: comments (repo-wide with
/// since/page/limit and X-Total-Count, per PR, create, edit), reactions, commit statuses (an unknown
/// sha is 500), pull requests, the admin-only permission check (403 for a bot that is no admin),
/// organisation membership (204, 404, or 303 to the public list when the bot is no member); and
/// Drone's build creation (query keys become params; <c>null</c> when no pipeline matches) and
/// build status. It records every request and can be told to fail some of them. It also serves a
/// folder under <c>/artifacts/</c>, as the place RECIPE_CI_ARTIFACTS_URL points at.
/// </summary>
public sealed class FakeForge : IDisposable
{
    private static readonly string[] Reactions = ["+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"];
    private readonly HttpListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<FakeComment> _comments = [];
    private readonly List<FakeStatus> _statuses = [];
    private readonly List<(long Comment, string User, string Content)> _reactions = [];
    private readonly Dictionary<string, Dictionary<int, FakePull>> _repos = [];
    private readonly Dictionary<string, HashSet<string>> _members = [];
    private readonly Dictionary<(string Repo, string User), string> _permissions = [];
    private readonly List<(Func<RecordedRequest, bool> Match, int Status, int Left)> _failures = [];
    private readonly List<FakeBuild> _builds = [];
    private readonly Task _loop;
    private long _nextComment = 1000;

    public string Url { get; }
    public string GiteaToken { get; } = "gitea-" + Guid.NewGuid().ToString("N");
    public string DroneToken { get; } = "drone-" + Guid.NewGuid().ToString("N");
    public string Bot { get; init; } = "recipe-ci-bot";
    /// <summary>Recipe CI's own repository on Drone.</summary>
    public string DroneRepo { get; init; } = "ops/recipe-ci";
    /// <summary>False, as the bot must be: then the permission check answers 403.</summary>
    public bool BotIsAdmin { get; set; }
    /// <summary>Drone finds no pipeline for the custom event: it answers <c>null</c>.</summary>
    public bool NoPipeline { get; set; }
    /// <summary>Runs a build (its parameters as environment) and says whether it succeeded; null: builds stay pending.</summary>
    public Func<FakeBuild, Task<bool>>? Runner { get; set; }
    /// <summary>The folder served under /artifacts/.</summary>
    public string? ArtifactsRoot { get; set; }

    public FakeForge()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // ---- what a test sets up and reads ----

    public FakePull AddPull(string repo, int number, string headSha)
    {
        var pull = new FakePull { Number = number, HeadSha = headSha };
        lock (_gate)
        {
            if (!_repos.TryGetValue(repo, out var pulls)) _repos[repo] = pulls = [];
            pulls[number] = pull;
        }
        return pull;
    }

    public void AddMember(string org, string user)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(org, out var set)) _members[org] = set = [];
            set.Add(user);
        }
    }

    public void SetPermission(string repo, string user, string permission)
    {
        lock (_gate) _permissions[(repo, user)] = permission;
    }

    /// <summary>Someone comments on a pull request (or, with <paramref name="onPull"/> false, on an issue).</summary>
    public FakeComment Comment(string repo, int issue, string user, string body, bool onPull = true)
    {
        var now = Now();
        lock (_gate)
        {
            var c = new FakeComment { Id = ++_nextComment, Repo = repo, Issue = issue, OnPull = onPull, User = user, Body = body, Created = now, Updated = now };
            _comments.Add(c);
            return c;
        }
    }

    /// <summary>Someone edits a comment: a later update time, as Gitea keeps it (to the second).</summary>
    public void Edit(FakeComment comment, string body)
    {
        lock (_gate)
        {
            comment.Body = body;
            comment.Updated = Now() > comment.Created ? Now() : comment.Created.AddSeconds(1);
        }
    }

    /// <summary>The next <paramref name="times"/> requests that match are answered <paramref name="status"/> (e.g. 502).</summary>
    public void Fail(Func<RecordedRequest, bool> match, int status, int times)
    {
        lock (_gate) _failures.Add((match, status, times));
    }

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) return [.. _requests]; } }
    public IReadOnlyList<FakeStatus> Statuses { get { lock (_gate) return [.. _statuses]; } }
    public IReadOnlyList<FakeBuild> Builds { get { lock (_gate) return [.. _builds]; } }
    public IReadOnlyList<(long Comment, string User, string Content)> ReactionsGiven { get { lock (_gate) return [.. _reactions]; } }

    public IReadOnlyList<FakeComment> CommentsOn(string repo, int issue)
    {
        lock (_gate) return [.. _comments.Where(c => c.Repo == repo && c.Issue == issue)];
    }

    /// <summary>Everything the fake was asked, one line a request, for assertion messages.</summary>
    public string Log() => string.Join("\n", Requests.Select(r => $"{r.Method} {r.Path}?{string.Join("&", r.Query.Select(q => q.Key + "=" + q.Value))} -> {r.Answer} {r.Body}"));

    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    // ---- the server ----

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private sealed record Answer(int Status, string? Json = null, string? Location = null, byte[]? Bytes = null, long? Total = null);

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        var query = request.QueryString.AllKeys.OfType<string>().ToDictionary(k => k, k => request.QueryString[k] ?? "");
        Answer answer;
        try
        {
            var failure = InjectedFailure(request.HttpMethod, path, query, body);
            answer = failure ?? Route(request.HttpMethod, path, query, body, request.Headers["Authorization"]);
        }
        catch (Exception ex)
        {
            answer = new Answer(500, Message(ex.Message));
        }
        lock (_gate) _requests.Add(new RecordedRequest(request.HttpMethod, path, query, body, answer.Status));
        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.Location is not null) response.RedirectLocation = answer.Location;
        if (answer.Total is { } total) response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        var bytes = answer.Bytes ?? (answer.Json is null ? [] : Encoding.UTF8.GetBytes(answer.Json));
        if (answer.Json is not null) response.ContentType = "application/json;charset=utf-8";
        try
        {
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (HttpListenerException) { }
    }

    private Answer? InjectedFailure(string method, string path, Dictionary<string, string> query, string body)
    {
        var probe = new RecordedRequest(method, path, query, body, 0);
        lock (_gate)
        {
            var i = _failures.FindIndex(f => f.Left > 0 && f.Match(probe));
            if (i < 0) return null;
            _failures[i] = _failures[i] with { Left = _failures[i].Left - 1 };
            return new Answer(_failures[i].Status, $"<html><body>{_failures[i].Status} Bad Gateway</body></html>");
        }
    }

    private static string Message(string message) => new JObject { ["message"] = message, ["url"] = "https://docs.gitea.com/api" }.ToString(Formatting.None);

    private static string ToJson(object value) => JsonConvert.SerializeObject(value, Formatting.None, JsonConvention.Settings);

    private Answer Route(string method, string path, Dictionary<string, string> query, string body, string? auth)
    {
        if (path.StartsWith("/artifacts/", StringComparison.Ordinal) && method == "GET") return Artifact(path["/artifacts/".Length..]);
        if (path.StartsWith("/api/v1/", StringComparison.Ordinal))
            return auth == $"token {GiteaToken}" || auth == $"Bearer {GiteaToken}" ? Gitea(method, path["/api/v1".Length..], query, body)
                : new Answer(401, Message("token is required"));
        if (path.StartsWith("/api/", StringComparison.Ordinal))
            return auth == $"Bearer {DroneToken}" ? Drone(method, path["/api".Length..], query) : new Answer(401, "{\"message\":\"Unauthorized\"}");
        return new Answer(404, Message("not found"));
    }

    private Answer Artifact(string relative)
    {
        if (ArtifactsRoot is null) return new Answer(404);
        var file = Path.GetFullPath(Path.Combine(ArtifactsRoot, Uri.UnescapeDataString(relative)));
        return file.StartsWith(Path.GetFullPath(ArtifactsRoot), StringComparison.Ordinal) && File.Exists(file)
            ? new Answer(200, Bytes: File.ReadAllBytes(file)) : new Answer(404);
    }

    private Answer Gitea(string method, string path, Dictionary<string, string> query, string body)
    {
        Match m;
        lock (_gate)
        {
            if (method == "GET" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/issues/comments$")).Success) return RepoComments(m.Groups[1].Value, query);
            if ((m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/issues/(\\d+)/comments$")).Success)
            {
                var (repo, issue) = (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                if (method == "GET") return new Answer(200, ToJson(_comments.Where(c => c.Repo == repo && c.Issue == issue).Select(Json).ToList()));
                if (method == "POST") return CreateComment(repo, issue, body);
            }
            if (method == "PATCH" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/issues/comments/(\\d+)$")).Success)
                return EditComment(m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), body);
            if (method == "POST" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/issues/comments/(\\d+)/reactions$")).Success)
                return React(long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), body);
            if (method == "POST" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/statuses/([^/]+)$")).Success)
                return SetStatus(m.Groups[1].Value, m.Groups[2].Value, body);
            if (method == "GET" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/pulls/(\\d+)$")).Success)
                return Pull(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (method == "GET" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/collaborators/([^/]+)/permission$")).Success)
                return Permission(m.Groups[1].Value, m.Groups[2].Value);
            if (method == "GET" && (m = Regex.Match(path, "^/orgs/([^/]+)/members/([^/]+)$")).Success)
                return IsMember(m.Groups[1].Value, m.Groups[2].Value);
        }
        return new Answer(404, Message("not found"));
    }

    private object Json(FakeComment c)
    {
        var web = $"{Url}/{c.Repo}/{(c.OnPull ? "pulls" : "issues")}/{c.Issue}";
        return new
        {
            id = c.Id, html_url = $"{web}#issuecomment-{c.Id}", pull_request_url = c.OnPull ? web : "", issue_url = c.OnPull ? "" : web,
            user = new { id = Math.Abs(c.User.GetHashCode()), login = c.User }, body = c.Body, created_at = c.Created, updated_at = c.Updated,
        };
    }

    private static DateTimeOffset? Time(Dictionary<string, string> query, string key) =>
        !query.TryGetValue(key, out var text) ? null
        : DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t
        : throw new FormatException(key);

    private Answer RepoComments(string repo, Dictionary<string, string> query)
    {
        DateTimeOffset? since, before;
        try { (since, before) = (Time(query, "since"), Time(query, "before")); }
        catch (FormatException ex) { return new Answer(422, Message($"invalid {ex.Message}: not RFC3339")); }
        var page = query.TryGetValue("page", out var p) && int.TryParse(p, out var pn) && pn > 0 ? pn : 1;
        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l, out var ln) && ln > 0 ? Math.Min(ln, 50) : 30;
        var matching = _comments.Where(c => c.Repo == repo && (since is null || c.Updated >= since) && (before is null || c.Updated < before))
            .OrderBy(c => c.Created).ThenBy(c => c.Id).ToList();
        return new Answer(200, ToJson(matching.Skip((page - 1) * limit).Take(limit).Select(Json).ToList()), Total: matching.Count);
    }

    private Answer CreateComment(string repo, int issue, string body)
    {
        var text = (string?)JObject.Parse(body)["body"];
        if (string.IsNullOrEmpty(text)) return new Answer(422, Message("[Body]: Required"));
        var onPull = _repos.TryGetValue(repo, out var pulls) && pulls.ContainsKey(issue);
        var now = Now();
        var c = new FakeComment { Id = ++_nextComment, Repo = repo, Issue = issue, OnPull = onPull, User = Bot, Body = text, Created = now, Updated = now };
        _comments.Add(c);
        return new Answer(201, ToJson(Json(c)));
    }

    private Answer EditComment(string repo, long id, string body)
    {
        var c = _comments.FirstOrDefault(x => x.Id == id && x.Repo == repo);
        if (c is null) return new Answer(404, Message("comment does not exist"));
        var text = (string?)JObject.Parse(body)["body"];
        if (string.IsNullOrEmpty(text)) return new Answer(422, Message("[Body]: Required"));
        c.Body = text;
        c.Updated = Now();
        return new Answer(200, ToJson(Json(c)));
    }

    private Answer React(long comment, string body)
    {
        var content = (string?)JObject.Parse(body)["content"] ?? "";
        if (!Reactions.Contains(content)) return new Answer(403, Message($"'{content}' is not an allowed reaction"));
        if (_comments.All(c => c.Id != comment)) return new Answer(404, Message("comment does not exist"));
        var reaction = ToJson(new { user = new { login = Bot }, content, created_at = Now() });
        if (_reactions.Contains((comment, Bot, content))) return new Answer(200, reaction);
        _reactions.Add((comment, Bot, content));
        return new Answer(201, reaction);
    }

    private Answer SetStatus(string repo, string sha, string body)
    {
        var full = _repos.GetValueOrDefault(repo)?.Values.Select(p => p.HeadSha).FirstOrDefault(s => s.StartsWith(sha, StringComparison.Ordinal));
        if (full is null) return new Answer(500, Message($"object does not exist [id: {sha}]"));
        var o = JObject.Parse(body);
        var state = (string?)o["state"] ?? "";
        if (state is not ("pending" or "success" or "error" or "failure" or "warning")) return new Answer(422, Message($"invalid state '{state}'"));
        var status = new FakeStatus(repo, full, state, ((string?)o["context"] ?? "").Trim(), ((string?)o["description"] ?? "").Trim(), (string?)o["target_url"]);
        _statuses.Add(status);
        return new Answer(201, ToJson(new { id = _statuses.Count, status = state, context = status.Context, description = status.Description, target_url = status.TargetUrl, creator = new { login = Bot } }));
    }

    private Answer Pull(string repo, int number)
    {
        if (_repos.GetValueOrDefault(repo)?.GetValueOrDefault(number) is not { } p) return new Answer(404, Message("pull request does not exist"));
        var head = new { label = p.HeadRef, @ref = p.HeadRef, sha = p.HeadSha, repo_id = 1, repo = new { full_name = repo, fork = false, @private = false } };
        return new Answer(200, ToJson(new
        {
            number = p.Number, state = p.State, merged = false, html_url = $"{Url}/{repo}/pulls/{p.Number}", user = new { login = "author" },
            head, @base = new { label = "main", @ref = "main", sha = "0000000000000000000000000000000000000000" },
        }));
    }

    private Answer Permission(string repo, string user)
    {
        if (!BotIsAdmin && !string.Equals(user, Bot, StringComparison.OrdinalIgnoreCase))
            return new Answer(403, Message("Only admins can query all permissions, repo admins can query all repo permissions, collaborators can query only their own"));
        var permission = _permissions.GetValueOrDefault((repo, user), "none");
        return new Answer(200, ToJson(new { permission, role_name = permission, user = new { login = user } }));
    }

    private Answer IsMember(string org, string user)
    {
        var members = _members.GetValueOrDefault(org) ?? [];
        if (members.Contains(Bot)) return members.Contains(user) ? new Answer(204) : new Answer(404, Message("not found"));
        if (user == Bot) return new Answer(404, Message("not found"));
        return new Answer(303, Location: $"/api/v1/orgs/{org}/public_members/{user}");
    }

    private Answer Drone(string method, string path, Dictionary<string, string> query)
    {
        Match m;
        if (method == "POST" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/builds$")).Success)
        {
            if (m.Groups[1].Value != DroneRepo) return new Answer(404, "{\"message\":\"Not Found\"}");
            if (NoPipeline) return new Answer(200, "null");
            var parameters = query.Where(q => q.Key is not ("branch" or "commit" or "access_token")).ToDictionary(q => q.Key, q => q.Value);
            FakeBuild build;
            lock (_gate)
            {
                build = new FakeBuild { Number = _builds.Count + 1, Params = parameters, Commit = query.GetValueOrDefault("commit", "c0ffee0000000000000000000000000000000000") };
                _builds.Add(build);
            }
            if (Runner is { } run) _ = Task.Run(async () =>
            {
                build.Status = "running";
                build.Status = await run(build) ? "success" : "failure";
            });
            return new Answer(200, BuildJson(build, query.GetValueOrDefault("branch", "main")));
        }
        if (method == "GET" && (m = Regex.Match(path, "^/repos/([^/]+/[^/]+)/builds/(\\d+)$")).Success)
        {
            var build = Builds.FirstOrDefault(b => b.Number == long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            return build is null ? new Answer(404, "{\"message\":\"Not Found\"}") : new Answer(200, BuildJson(build, "main"));
        }
        return new Answer(404, "{\"message\":\"Not Found\"}");
    }

    private string BuildJson(FakeBuild b, string branch) => ToJson(new
    {
        id = b.Number, number = b.Number, status = b.Status, @event = "custom", after = b.Commit, @ref = $"refs/heads/{branch}", @params = b.Params,
        link = $"{Url}/{DroneRepo}/commit/{b.Commit}", started = 0, finished = 0, stages = Array.Empty<object>(),
    });

    // ---- webhooks, as Gitea delivers them ----

    /// <summary>The body of an <c>issue_comment</c> delivery for a comment the fake holds.</summary>
    public string CommentPayload(FakeComment c, string action, string? sender = null)
    {
        lock (_gate)
            return JsonConvert.SerializeObject(new
            {
                action,
                issue = new { number = c.Issue, pull_request = c.OnPull ? new { merged = false } : null },
                comment = Json(c),
                repository = new { full_name = c.Repo },
                sender = new { login = sender ?? c.User },
                is_pull = c.OnPull,
            }, JsonConvention.Settings);
    }

    /// <summary>Delivers a webhook as Gitea does: X-Gitea-Event, -Event-Type, -Delivery and the HMAC-SHA256 of the body in X-Gitea-Signature.</summary>
    public static async Task<(HttpStatusCode Status, string Answer)> DeliverAsync(string hook, string body, string? secret, string eventType = "pull_request_comment", string? delivery = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Gitea-Event", "issue_comment");
        request.Headers.Add("X-Gitea-Event-Type", eventType);
        request.Headers.Add("X-Gitea-Delivery", delivery ?? Guid.NewGuid().ToString());
        if (secret is not null)
        {
            var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
            request.Headers.Add("X-Gitea-Signature", signature);
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
    }

    public void Dispose()
    {
        if (!_listener.IsListening) return;
        // Close aborts the requests still being answered; an answer cut short is no failure of the close.
        try { _listener.Close(); }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
