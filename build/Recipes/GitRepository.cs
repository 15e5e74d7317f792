using RecipeCi.Processes;

namespace RecipeCi.Recipes;

/// <summary>An annotated release tag and the commit it points at.</summary>
public sealed record ReleaseTag(string Name, string Commit, RecipeVersion Version);

/// <summary>A recipe working tree, driven through the git CLI (every command lands in the stage evidence).</summary>
public sealed class GitRepository(string path, CommandRunner runner)
{
    public string Path { get; } = path;

    private Task<CommandResult> Git(CancellationToken ct, params string[] args) =>
        runner.RunAsync(new Command("git", ["-C", Path, .. args]) { Environment = Quiet }, ct);

    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_ADVICE"] = "0",
    };

    public static async Task<GitRepository> CloneAsync(string source, string destination, CommandRunner runner, CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        await runner.RunAsync(new Command("git", "clone", "--quiet", source, destination) { Environment = Quiet }, ct);
        return new GitRepository(destination, runner);
    }

    /// <summary>Brings the upstream's tags into a tree cloned from a PR mirror.</summary>
    public Task FetchTagsAsync(string remote, CancellationToken ct) =>
        Git(ct, "fetch", "--quiet", "--force", remote, "refs/tags/*:refs/tags/*");

    /// <summary>Fetches a ref the clone may not have (a PR head that is not on the default branch).</summary>
    public async Task<bool> TryFetchAsync(string remote, string gitRef, CancellationToken ct) =>
        (await runner.RunAsync(new Command("git", "-C", Path, "fetch", "--quiet", remote, gitRef) { Check = false, Environment = Quiet }, ct)).Succeeded;

    public Task CheckoutAsync(string gitRef, CancellationToken ct) => Git(ct, "checkout", "--quiet", "--force", "--detach", gitRef);

    public async Task<string?> TryResolveAsync(string gitRef, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "-C", Path, "rev-parse", "--verify", "--quiet", gitRef + "^{commit}") { Check = false, Environment = Quiet }, ct);
        return r.Succeeded ? r.Stdout.Trim() : null;
    }

    public async Task<string> HeadAsync(CancellationToken ct) => (await Git(ct, "rev-parse", "HEAD")).Stdout.Trim();

    /// <summary>Untracked files count, as abra's go-git status does: an overlay file makes the tree dirty.</summary>
    public async Task<bool> IsDirtyAsync(CancellationToken ct) =>
        (await Git(ct, "status", "--porcelain", "--untracked-files=all")).Stdout.Trim().Length > 0;

    public async Task<string> StatusAsync(CancellationToken ct) =>
        (await Git(ct, "status", "--porcelain", "--untracked-files=all")).Stdout.Trim();

    public async Task<string> DescribeAsync(CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "-C", Path, "describe", "--tags", "--always", "--dirty") { Check = false, Environment = Quiet }, ct);
        return r.Stdout.Trim();
    }

    /// <summary>Release tags: annotated tags whose name is a recipe version, oldest first.</summary>
    public async Task<List<ReleaseTag>> ReleaseTagsAsync(CancellationToken ct)
    {
        var r = await Git(ct, "for-each-ref", "refs/tags", "--format=%(refname:short)%09%(objecttype)%09%(*objectname)");
        var tags = new List<ReleaseTag>();
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            // Lightweight tags are not releases (abra lint R014 rejects them).
            if (parts.Length < 3 || parts[1] != "tag" || !RecipeVersion.TryParse(parts[0], out var v)) continue;
            tags.Add(new ReleaseTag(parts[0], parts[2], v));
        }
        return tags.OrderBy(t => t.Version).ToList();
    }

    /// <summary>
    /// The release tags of a repository without cloning it (<c>git ls-remote --tags</c>), oldest
    /// first: annotated tags (listed with a peeled <c>^{}</c> line) whose name is a recipe version.
    /// </summary>
    public static async Task<List<ReleaseTag>> RemoteReleaseTagsAsync(string source, CommandRunner runner, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "ls-remote", "--tags", source) { Environment = Quiet }, ct);
        return ParseRemoteTags(r.Stdout);
    }

    internal static List<ReleaseTag> ParseRemoteTags(string lsRemote)
    {
        var peeled = new Dictionary<string, string>();
        foreach (var line in lsRemote.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split('\t');
            if (parts.Length == 2 && parts[1].StartsWith("refs/tags/", StringComparison.Ordinal) && parts[1].EndsWith("^{}", StringComparison.Ordinal))
                peeled[parts[1]["refs/tags/".Length..^3]] = parts[0];
        }
        return peeled
            .Select(p => RecipeVersion.TryParse(p.Key, out var v) ? new ReleaseTag(p.Key, p.Value, v) : null)
            .OfType<ReleaseTag>().OrderBy(t => t.Version).ToList();
    }

    public async Task<string?> ShowFileAsync(string gitRef, string file, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "-C", Path, "show", $"{gitRef}:{file}") { Check = false, Environment = Quiet }, ct);
        return r.Succeeded ? r.Stdout : null;
    }
}
