namespace RecipeCi.Lint;

/// <summary>
/// Whether a path a deploy reads or mounts stays inside the recipe tree: docker stack deploy
/// resolves relative paths against the tree on the CI host and follows symlinks there, so an
/// absolute path, a '..' that climbs out, or a symlink in the tree pointing out all reach the host.
/// </summary>
public static class TreePath
{
    /// <summary>Why <paramref name="path"/> (as written, after interpolation) leaves the tree at <paramref name="root"/>, or null when it stays.</summary>
    /// <param name="root">The tree on disk; null when only the text is known (lint of texts), then symlinks cannot be followed.</param>
    public static string? Leaves(string path, string? root)
    {
        if (path.StartsWith('/')) return "an absolute host path";
        if (path.StartsWith('~')) return "a path in a home directory on the host";
        var anchor = root ?? "/recipe";
        var full = Path.GetFullPath(Path.Combine(anchor, path));
        if (!Within(full, anchor)) return "a path that climbs out of the recipe tree";
        if (root is null) return null;
        return Within(Real(full), Real(root)) ? null : $"a symlink in the recipe tree that points at {Real(full)} on the host";
    }

    private static bool Within(string path, string root)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        return path == r || path.StartsWith(r + "/", StringComparison.Ordinal);
    }

    /// <summary>The path with every symlink along it resolved, as the kernel would (nonexistent tails kept as written).</summary>
    private static string Real(string path)
    {
        var resolved = "/";
        var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        // A link loop ends as the kernel's ELOOP would, after 40 links.
        for (var links = 0; parts.Count > 0;)
        {
            var part = parts.Dequeue();
            var next = Path.Combine(resolved, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null || ++links > 40)
            {
                resolved = next;
                continue;
            }
            var rest = parts.ToList();
            parts = new Queue<string>(Path.GetFullPath(Path.Combine(resolved, target)).Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            resolved = "/";
        }
        return resolved;
    }
}
