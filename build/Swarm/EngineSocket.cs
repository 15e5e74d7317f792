using System.Net.Sockets;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RecipeCi.Swarm;

/// <summary>
/// Read-only engine queries over the local unix socket, used when the docker CLI's own context
/// points there. A convergence judge re-reads services and tasks on every event; a request here
/// costs milliseconds where a docker CLI process costs a few hundred on a loaded machine.
/// The objects returned are the ones <c>docker inspect</c> prints.
/// </summary>
public sealed class EngineSocket(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://docker"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The socket of a docker host (<c>DOCKER_HOST</c>, or a context's endpoint), when it is a local unix socket.</summary>
    public static EngineSocket? ForHost(string host)
    {
        const string scheme = "unix://";
        return host.StartsWith(scheme, StringComparison.Ordinal) && File.Exists(host[scheme.Length..]) ? new EngineSocket(host[scheme.Length..]) : null;
    }

    public async Task<List<JObject>> ListAsync(string kind, IReadOnlyDictionary<string, string[]> filters, CancellationToken ct)
    {
        var query = Uri.EscapeDataString(JsonConvert.SerializeObject(filters));
        using var response = await _http.GetAsync($"/{kind}?filters={query}", ct);
        response.EnsureSuccessStatusCode();
        return JArray.Parse(await response.Content.ReadAsStringAsync(ct)).Cast<JObject>().ToList();
    }

    /// <summary>One object, e.g. <c>containers/&lt;id&gt;/json</c>; null when the engine does not have it.</summary>
    public async Task<JObject?> GetAsync(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync("/" + path, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JObject.Parse(await response.Content.ReadAsStringAsync(ct));
    }

    public void Dispose() => _http.Dispose();
}
