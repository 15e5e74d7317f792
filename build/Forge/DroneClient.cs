using System.Net.Http.Headers;
using RecipeCi.Processes;
using RecipeCi.Recipes;

namespace RecipeCi.Forge;

/// <summary>
/// The part of Drone's API that starts and follows a custom build of Recipe CI's own repository.
/// Every query key but <c>branch</c>, <c>commit</c> and <c>access_token</c> becomes a build parameter,
/// which each step sees as an environment variable of that exact name.
/// </summary>
public sealed class DroneClient(ForgeHttp http)
{
    private static readonly string[] Reserved = ["branch", "commit", "access_token"];

    public static DroneClient Create(Uri server, string token, Redactor redactor, Action<string> say, RetryPlan? plan = null) =>
        new(new ForgeHttp("Drone", new Uri(server.ToString().TrimEnd('/') + "/api/"), new AuthenticationHeaderValue("Bearer", token), redactor, say, plan));

    private static string Repo(ForgeRepository r) => $"repos/{Uri.EscapeDataString(r.Owner)}/{Uri.EscapeDataString(r.Name)}";

    /// <summary>
    /// Starts a custom build on the default branch (or <paramref name="branch"/>). Drone answers
    /// <c>null</c> when no pipeline matched the custom event: null here, which the caller must treat as a failure.
    /// </summary>
    public Task<DroneBuild?> CreateBuildAsync(ForgeRepository repo, IReadOnlyDictionary<string, string> parameters, string? branch, CancellationToken ct)
    {
        if (parameters.Keys.FirstOrDefault(k => Reserved.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } bad)
            throw new ArgumentException($"'{bad}' is not a build parameter: Drone reads it itself", nameof(parameters));
        var query = parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}").ToList();
        if (branch is not null) query.Insert(0, "branch=" + Uri.EscapeDataString(branch));
        return http.SendAsync<DroneBuild>(HttpMethod.Post, $"{Repo(repo)}/builds?{string.Join("&", query)}", null, ct);
    }

    public async Task<DroneBuild> BuildAsync(ForgeRepository repo, long number, CancellationToken ct) =>
        await http.SendAsync<DroneBuild>(HttpMethod.Get, $"{Repo(repo)}/builds/{number}", null, ct)
        ?? throw new ForgeException($"Drone answered no build {number}", null, transient: false);

    /// <summary>The build's page in Drone's UI (the build's own <c>link</c> is the commit's page on the forge).</summary>
    public static string BuildPage(Uri server, ForgeRepository repo, long number) => $"{server.ToString().TrimEnd('/')}/{repo.Owner}/{repo.Name}/{number}";
}
