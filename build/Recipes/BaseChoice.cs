namespace RecipeCi.Recipes;

/// <summary>
/// A tag as the base choice sees it: the commit it names, its version (null when the name is not a
/// recipe version), whether the head descends from that commit (true for the head itself, as
/// <c>git merge-base --is-ancestor</c> says) and the commit's time (the tie-break of equal versions).
/// </summary>
public sealed record TagFact(string Name, string Commit, RecipeVersion? Version, bool IsAncestor, long CommitTime);

/// <summary>
/// The release an upgrade starts from, decided by history from recorded facts: <see cref="Tag"/>
/// (null: the upgrade is skipped, <see cref="How"/> says why), <see cref="Error"/> when a requested
/// base cannot be one, and <see cref="Lines"/>, the head and every tag with why it was taken or
/// passed over (FetchRecipe's console and git.txt).
/// </summary>
public sealed record BaseChoice(ReleaseTag? Tag, string How, string? Error, IReadOnlyList<string> Lines)
{
    /// <summary>
    /// Candidates are release tags on a strict ancestor of the head (never the head's own commit:
    /// that would test X to X; never a commit the head does not descend from: that would be a
    /// downgrade or a jump across branches). The base is the newest of them (by version, then
    /// commit time, then name) older than the head's version, or, when the head declares none, the
    /// newest of them. A requested base (--base, catalogue <c>base</c>) must be such a candidate,
    /// though its version is the requester's call.
    /// </summary>
    public static BaseChoice Decide(string head, RecipeVersion? headVersion, IReadOnlyList<TagFact> tags, string? requested)
    {
        string? Excluded(TagFact t) =>
            t.Version is null ? "ignored: not a recipe version"
            : t.Commit == head ? "passed over: on the head's own commit"
            : !t.IsAncestor ? "passed over: not an ancestor of the head"
            : requested is null && headVersion is not null && !t.Version.IsOlderThan(headVersion) ? $"passed over: not older than the head's {headVersion}"
            : null;

        var candidates = tags.Where(t => Excluded(t) is null)
            .OrderBy(t => t.Version).ThenBy(t => t.CommitTime).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var chosen = requested is null ? candidates.LastOrDefault() : candidates.FirstOrDefault(t => t.Name == requested);

        string Fate(TagFact t) =>
            t == chosen ? "chosen"
            : Excluded(t) is { } why ? why
            : requested is not null ? "passed over: not the requested base"
            : $"passed over: older than {chosen!.Name}";

        var lines = new List<string> { $"head {Short(head)} declares {headVersion?.Text ?? "no version"}" };
        lines.AddRange(tags.OrderBy(t => t.Version is null).ThenBy(t => t.Version).ThenBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => $"  tag {t.Name} ({Short(t.Commit)}): {Fate(t)}"));
        if (tags.Count == 0) lines.Add("  no tags");

        var release = chosen is null ? null : new ReleaseTag(chosen.Name, chosen.Commit, chosen.Version!);
        if (requested is not null)
            return release is not null
                ? new BaseChoice(release, $"{release.Name} (requested)", null, lines)
                : new BaseChoice(null, $"base '{requested}' refused", Refusal(requested, tags, head, candidates), lines);
        var how = release is null
            ? tags.Any(t => t.Version is not null)
                ? $"skipped: no published release {(headVersion is null ? "" : $"older than the head's {headVersion} ")}among the head's ancestors"
                : "skipped: the recipe has no published release"
            : headVersion is null
                ? $"{release.Name} (newest release the head descends from; the head declares no version)"
                : $"{release.Name} (newest release the head descends from, older than the head's {headVersion})";
        return new BaseChoice(release, how, null, lines);
    }

    private static string Short(string commit) => commit[..Math.Min(12, commit.Length)];

    private static string Refusal(string requested, IReadOnlyList<TagFact> tags, string head, List<TagFact> candidates)
    {
        var releases = tags.Where(t => t.Version is not null).OrderBy(t => t.Version).ToList();
        var tag = releases.FirstOrDefault(t => t.Name == requested);
        var why = tag is null ? $"is not a release tag of the recipe (tags: {(releases.Count == 0 ? "none" : string.Join(", ", releases.Select(t => t.Name)))})"
            : tag.Commit == head ? "is the head's own commit: an upgrade from it tests nothing"
            : "is not an ancestor of the head: an upgrade from it would be a downgrade or a jump across branches";
        var usable = candidates.Count == 0 ? "none: leave the base out and the upgrade is skipped"
            : string.Join(", ", candidates.Select(c => c.Name));
        return $"base '{requested}' {why}. Fix: pass to --base (or set as the catalogue's 'base') a release tag the head {Short(head)} descends from ({usable}), or leave it out to choose by history";
    }
}
