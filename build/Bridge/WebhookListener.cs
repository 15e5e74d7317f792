using System.Net;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Forge;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Bridge;

/// <summary>Gitea's webhook signature: the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the hook's secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Gitea-Signature";

    public static string Of(byte[] secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Compared in constant time, so that the answer's timing tells nothing about the right signature.</summary>
    public static bool Verify(byte[] secret, byte[] body, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature)) return false;
        byte[] given;
        try { given = Convert.FromHexString(signature.Trim()); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(secret, body));
    }
}

/// <summary>The parts of an <c>issue_comment</c> delivery the bridge reads.</summary>
public sealed record CommentDelivery
{
    public string Action { get; init; } = "";
    public DeliveryIssue? Issue { get; init; }
    public GiteaComment? Comment { get; init; }
    public DeliveryRepository? Repository { get; init; }
    public GiteaUser? Sender { get; init; }
    public bool IsPull { get; init; }
}

public sealed record DeliveryIssue(int Number, object? PullRequest);
public sealed record DeliveryRepository(string FullName);

/// <summary>
/// The optional webhook endpoint, <c>POST http://&lt;--listen&gt;/hook</c>, for Gitea's <c>issue_comment</c>
/// deliveries (type <c>pull_request_comment</c> on a PR, routed on <c>X-Gitea-Event-Type</c>). A delivery
/// without the right signature is answered 401 and logged; an accepted one goes through the same
/// seen-set as the poll's and wakes the bridge, which handles it at once instead of at the next poll.
/// </summary>
public sealed class WebhookListener : IDisposable
{
    public const string PathPrefix = "/hook/";
    private static readonly string[] CommentEvents = ["issue_comment", "pull_request_comment"];
    private readonly HttpListener _listener = new();
    private readonly byte[] _secret;
    private readonly CommentBridge _bridge;
    private readonly Action _wake;
    private readonly Action<string> _say;
    private readonly Task _loop;

    private WebhookListener(string hostPort, byte[] secret, CommentBridge bridge, Action wake, Action<string> say)
    {
        (_secret, _bridge, _wake, _say) = (secret, bridge, wake, say);
        _listener.Prefixes.Add($"http://{hostPort}{PathPrefix}");
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new BadInputException($"--listen={hostPort}: cannot listen there ({ex.Message}). Fix: pick a free port on an address of this machine, e.g. --listen=127.0.0.1:8099");
        }
        _say($"webhook: listening on http://{hostPort}{PathPrefix.TrimEnd('/')} (Gitea: a webhook of the issue_comment event with the shared secret)");
        _loop = Task.Run(ServeAsync);
    }

    public static WebhookListener Start(string hostPort, string secret, CommentBridge bridge, Action wake, Action<string> say) =>
        new(hostPort, Encoding.UTF8.GetBytes(secret), bridge, wake, say);

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

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var (status, text) = await HandleAsync(context.Request);
        try
        {
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"));
            context.Response.Close();
        }
        catch (HttpListenerException) { }
    }

    private async Task<(HttpStatusCode, string)> HandleAsync(HttpListenerRequest request)
    {
        var delivery = request.Headers["X-Gitea-Delivery"] ?? "(no delivery id)";
        if (request.HttpMethod != "POST") return (HttpStatusCode.MethodNotAllowed, "POST only");
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var signature = request.Headers[WebhookSignature.Header];
        if (!WebhookSignature.Verify(_secret, body, signature))
        {
            var why = string.IsNullOrWhiteSpace(signature) ? "no signature" : "a wrong signature";
            _say($"webhook: delivery {delivery} from {request.RemoteEndPoint} has {why}: refused (401)");
            return (HttpStatusCode.Unauthorized, $"{why}: check the webhook's secret");
        }
        var type = request.Headers["X-Gitea-Event-Type"] ?? request.Headers["X-Gitea-Event"] ?? "";
        if (!CommentEvents.Contains(type)) return (HttpStatusCode.Accepted, $"ignored: event type '{type}' is not a comment");
        CommentDelivery? payload;
        try { payload = JsonConvert.DeserializeObject<CommentDelivery>(Encoding.UTF8.GetString(body), JsonConvention.Settings); }
        catch (JsonException ex) { return (HttpStatusCode.BadRequest, $"not a comment delivery: {ex.Message}"); }
        if (payload is not { Comment: { } comment, Repository: { } repository, Issue: { } issue }
            || ForgeRepository.TryParse(repository.FullName) is not { } repo
            || EnumWords.Parse<CommentAction>(payload.Action) is not { } action)
            return (HttpStatusCode.BadRequest, "not a comment delivery: it lacks comment, repository, issue or a known action");
        if (!_bridge.Watches(repo))
        {
            _say($"webhook: delivery {delivery} is for {repo}, which no recipe in the catalogue names as its forge repository");
            return (HttpStatusCode.Accepted, $"ignored: {repo} is not watched");
        }
        var author = comment.User?.Login ?? payload.Sender?.Login ?? "";
        var pr = payload.IsPull || issue.PullRequest is not null ? issue.Number : (int?)null;
        var disposition = _bridge.Accept(new SeenComment(repo, comment.Id, pr, author, comment.Body, action));
        if (disposition == Disposition.Trigger) _wake();
        return (HttpStatusCode.OK, disposition.Word());
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
