using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using RecipeCi.Files;
using RecipeCi.Processes;

namespace RecipeCi.Forge;

/// <summary>
/// A call to the forge or to Drone that did not succeed. <see cref="Transient"/>: the service was
/// down, slow or answered 5xx through every retry, so the same call may work later; otherwise it
/// answered 4xx, which no retry changes, and <see cref="Exception.Message"/> carries its message.
/// </summary>
public sealed class ForgeException(string message, HttpStatusCode? status, bool transient) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
    public bool Transient { get; } = transient;
}

/// <summary>How hard a call is tried: retries after the first attempt, the first backoff (doubled each time, with jitter), and each attempt's limit.</summary>
public sealed record RetryPlan(int Retries, TimeSpan FirstDelay, TimeSpan AttemptTimeout)
{
    public static readonly RetryPlan Default = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

/// <summary>
/// The HTTP side shared by the Gitea and Drone clients: the token in the Authorization header,
/// JSON in the project's convention (snake_case, as both APIs name their fields), and one retry
/// policy: network errors, resets, timeouts and 5xx are retried with backoff; 4xx is not, and
/// its <c>message</c> is reported. Every line said passes through the redactor that holds the token.
/// </summary>
public sealed class ForgeHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Redactor _redactor;
    private readonly AuthenticationHeaderValue _auth;

    /// <summary>Gitea or Drone, for the messages.</summary>
    public string Service { get; }
    public Uri Root { get; }

    public ForgeHttp(string service, Uri root, AuthenticationHeaderValue auth, Redactor redactor, Action<string> say, RetryPlan? plan = null)
    {
        (Service, Root, _auth, _redactor) = (service, new Uri(root.ToString().TrimEnd('/') + "/"), auth, redactor);
        // Redirects are answers here (Gitea's membership check redirects when it may not tell).
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var p = plan ?? RetryPlan.Default;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500),
                MaxRetryAttempts = p.Retries,
                Delay = p.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r ? $"answered {(int)r.StatusCode}" : args.Outcome.Exception?.Message ?? "failed";
                    args.Outcome.Result?.Dispose();
                    say(_redactor.Redact($"{Service} {what}; retry {args.AttemptNumber + 1} of {p.Retries} in {args.RetryDelay.TotalSeconds:0.#}s"));
                    return default;
                },
            })
            .AddTimeout(p.AttemptTimeout)
            .Build();
    }

    /// <summary>Sends a request and reads its JSON answer; null when the body is empty or <c>null</c>.</summary>
    public async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct) where T : class
    {
        using var response = await SendRawAsync(method, path, body, ct);
        await EnsureSuccessAsync(response, method, path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonConvert.DeserializeObject<T>(text, JsonConvention.Settings);
        }
        catch (JsonException ex)
        {
            throw new ForgeException(_redactor.Redact($"{Service} answered {method} {path} with what is not {typeof(T).Name} JSON: {ex.Message}"), response.StatusCode, transient: false);
        }
    }

    /// <summary>Sends a request whose answer is its status code alone (204 yes, 404 no, a redirect); 5xx and network failures are still retried, then thrown.</summary>
    public async Task<HttpStatusCode> StatusOfAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, null, ct);
        if ((int)response.StatusCode >= 500) await EnsureSuccessAsync(response, method, path, ct);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var payload = body is null ? null : JsonConvert.SerializeObject(body, Formatting.None, JsonConvention.Settings);
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(method, new Uri(Root, path.TrimStart('/')));
                request.Headers.Authorization = _auth;
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                return await _http.SendAsync(request, token);
            }, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw new ForgeException(_redactor.Redact($"{Service} did not answer {method} {path}: {ex.Message}"), null, transient: true);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var code = (int)response.StatusCode;
        var message = MessageOf(await response.Content.ReadAsStringAsync(ct));
        throw new ForgeException(_redactor.Redact($"{Service} answered {code} {response.ReasonPhrase} to {method} {path}: {message}"),
            response.StatusCode, transient: code >= 500);
    }

    /// <summary>Gitea and Drone both answer errors as <c>{"message": ...}</c>.</summary>
    private static string MessageOf(string body)
    {
        try
        {
            return JToken.Parse(body) is JObject { } o && o["message"]?.ToString() is { Length: > 0 } m ? m : Cut(body);
        }
        catch (JsonException)
        {
            return Cut(body);
        }
    }

    private static string Cut(string body) => body.Length == 0 ? "(no message)" : body.Length <= 200 ? body.Trim() : body[..200].Trim() + "…";

    public void Dispose() => _http.Dispose();
}
