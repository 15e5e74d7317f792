namespace RecipeCi.Abra;

/// <summary>
/// The layout of an <c>ABRA_DIR</c>: recipe working trees under <c>recipes/</c>, one env file per
/// app under <c>servers/&lt;server&gt;/</c>. Each run gets its own, so no two runs share a tree.
/// </summary>
public sealed class AbraDir(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string RecipePath(string recipe) => Path.Combine(Root, "recipes", recipe);
    public string ServerPath(string server) => Path.Combine(Root, "servers", server);
    public string EnvPath(string server, string domain) => Path.Combine(ServerPath(server), domain + ".env");

    /// <summary>Finds an app's env file on any server, as abra looks apps up by domain.</summary>
    public string FindEnv(string domain)
    {
        var servers = Path.Combine(Root, "servers");
        var found = Directory.Exists(servers)
            ? Directory.EnumerateFiles(servers, domain + ".env", SearchOption.AllDirectories).ToList()
            : [];
        return found.Count switch
        {
            1 => found[0],
            0 => throw new AbraException($"app '{domain}' does not exist (no {domain}.env under {servers})"),
            _ => throw new AbraException($"app '{domain}' is defined on several servers: {string.Join(", ", found)}"),
        };
    }

    public static AbraDir FromEnvironment() =>
        new(Environment.GetEnvironmentVariable("ABRA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".abra"));
}
