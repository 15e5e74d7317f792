using System.Globalization;
using RecipeCi.Processes;

namespace RecipeCi.Recipes;

/// <summary>A release tag (annotated or lightweight, named as a recipe version) and the commit it names.</summary>
public sealed record ReleaseTag(string Name, string Commit, RecipeVersion Version)
{
    /// <summary>
    /// Oldest first, by version; equal versions (<c>v1.0.0</c> and <c>1.0.0</c>) by name, so that
    /// every reader, with a clone or only <c>git ls-remote</c>, agrees on the newest.
    /// </summary>
    public static List<ReleaseTag> Ordered(IEnumerable<ReleaseTag> tags) =>
        tags.OrderBy(t => t.Version).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
}

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

    /// <summary>Every branch and tag of the repository, by its short name.</summary>
    public async Task<IReadOnlyList<string>> RefNamesAsync(CancellationToken ct) =>
        (await Git(ct, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The commits <paramref name="to"/> has and <paramref name="from"/> has not, newest first, one line each, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<string>> LogAsync(string from, string to, int max, CancellationToken ct) =>
        (await Git(ct, "log", "--oneline", "--no-decorate", "-n", max.ToString(CultureInfo.InvariantCulture), $"{from}..{to}")).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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

    /// <summary>Where the tree stands, as a stage keeps it in <c>git.txt</c>: HEAD, describe, dirt and the release tags.</summary>
    public async Task<string> EvidenceAsync(CancellationToken ct)
    {
        var tags = await ReleaseTagsAsync(ct);
        return $"HEAD: {await HeadAsync(ct)}\n" +
               $"describe: {await DescribeAsync(ct)}\n" +
               $"status (dirty when not empty):\n{await StatusAsync(ct)}\n" +
               $"release tags: {string.Join(", ", tags.Select(t => $"{t.Name}={t.Commit[..8]}"))}\n";
    }

    /// <summary>Release tags: tags whose name is a recipe version, oldest first.</summary>
    public async Task<List<ReleaseTag>> ReleaseTagsAsync(CancellationToken ct) =>
        ReleaseTag.Ordered((await TagsAsync(ct)).Select(t => RecipeVersion.TryParse(t.Name, out var v) ? new ReleaseTag(t.Name, t.Commit, v) : null).OfType<ReleaseTag>());

    /// <summary>
    /// What the base choice needs of every tag, whatever its name: its commit, the commit's time
    /// and whether <paramref name="head"/> descends from it. One <c>for-each-ref --merged</c> says
    /// for all tags what <c>git merge-base --is-ancestor</c> says for one (true for the head itself).
    /// </summary>
    public async Task<List<TagFact>> TagFactsAsync(string head, CancellationToken ct)
    {
        var merged = (await Git(ct, "for-each-ref", $"--merged={head}", "--format=%(refname:short)", "refs/tags"))
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return (await TagsAsync(ct))
            .Select(t => new TagFact(t.Name, t.Commit, RecipeVersion.TryParse(t.Name, out var v) ? v : null, merged.Contains(t.Name), t.CommitTime))
            .ToList();
    }

    /// <summary>Every tag, annotated (peeled) or lightweight, with the commit it names and that commit's time.</summary>
    private async Task<List<(string Name, string Commit, long CommitTime)>> TagsAsync(CancellationToken ct)
    {
        var r = await Git(ct, "for-each-ref", "refs/tags",
            "--format=%(refname:short)%09%(objecttype)%09%(objectname)%09%(committerdate:unix)%09%(*objecttype)%09%(*objectname)%09%(*committerdate:unix)");
        var tags = new List<(string, string, long)>();
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split('\t');
            // A tag of a tree, a blob or another tag names no commit to deploy.
            if (p.Length < 7) continue;
            if (p[1] == "commit") tags.Add((p[0], p[2], long.Parse(p[3], CultureInfo.InvariantCulture)));
            else if (p[1] == "tag" && p[4] == "commit") tags.Add((p[0], p[5], long.Parse(p[6], CultureInfo.InvariantCulture)));
        }
        return tags;
    }

    /// <summary>
    /// The release tags of a repository without cloning it (<c>git ls-remote --tags</c>), oldest
    /// first: tags whose name is a recipe version, at the commit of their peeled <c>^{}</c> line
    /// when annotated, else at the one they name.
    /// </summary>
    public static async Task<List<ReleaseTag>> RemoteReleaseTagsAsync(string source, CommandRunner runner, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "ls-remote", "--tags", source) { Environment = Quiet }, ct);
        return ParseRemoteTags(r.Stdout);
    }

    /// <summary>
    /// Every ref a repository offers (<c>git ls-remote</c>), by its full name (<c>refs/heads/main</c>,
    /// <c>refs/tags/1.0.0+1</c>, <c>HEAD</c>); null when it cannot be asked (unreachable, not a repository).
    /// </summary>
    public static async Task<IReadOnlyList<string>?> RemoteRefNamesAsync(string source, CommandRunner runner, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "ls-remote", source) { Check = false, Environment = Quiet }, ct);
        if (!r.Succeeded) return null;
        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split('\t')).Where(p => p.Length == 2 && !p[1].EndsWith("^{}", StringComparison.Ordinal)).Select(p => p[1]).Distinct()];
    }

    internal static List<ReleaseTag> ParseRemoteTags(string lsRemote)
    {
        var commits = new Dictionary<string, string>();
        foreach (var line in lsRemote.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Trim().Split('\t');
            if (parts.Length != 2 || !parts[1].StartsWith("refs/tags/", StringComparison.Ordinal)) continue;
            var name = parts[1]["refs/tags/".Length..];
            // An annotated tag's own line names the tag object; its peeled line, the commit.
            if (name.EndsWith("^{}", StringComparison.Ordinal)) commits[name[..^3]] = parts[0];
            else commits.TryAdd(name, parts[0]);
        }
        return ReleaseTag.Ordered(commits
            .Select(p => RecipeVersion.TryParse(p.Key, out var v) ? new ReleaseTag(p.Key, p.Value, v) : null)
            .OfType<ReleaseTag>());
    }

    public async Task<string?> ShowFileAsync(string gitRef, string file, CancellationToken ct)
    {
        var r = await runner.RunAsync(new Command("git", "-C", Path, "show", $"{gitRef}:{file}") { Check = false, Environment = Quiet }, ct);
        return r.Succeeded ? r.Stdout : null;
    }
}
