using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.State;

namespace RecipeCi.Sweeps;

/// <summary>
/// Decides run or skip for each recipe of a sweep from its newest release tag (read from its
/// repository, a history folder built into one under <paramref name="scratch"/> first) and its state.
/// </summary>
public sealed class SweepDecider(Catalog catalog, CanonicalStateStore state, CommandRunner runner, string scratch)
{
    /// <summary>Reads each recipe's newest release tag and its state, and decides run or skip.</summary>
    public async Task<List<SweepItem>> DecideAsync(IReadOnlyList<RecipeEntry> recipes, bool force, CancellationToken ct)
    {
        var items = new List<SweepItem>();
        foreach (var entry in recipes)
        {
            var canonical = state.ReadCanonical(entry.Name);
            var previous = state.ReadLastOutcome(entry.Name);
            try
            {
                // In ReleaseTag.Ordered's order, the one the base choice ranks versions by: the newest is last.
                var latest = (await ReleaseTagsAsync(entry, ct)).LastOrDefault();
                items.Add(new SweepItem(entry, latest, canonical, previous, SweepDecision.Decide(latest, canonical, force)));
            }
            catch (Exception ex) when (ex is CommandFailedException or ConfigException or IOException)
            {
                items.Add(new SweepItem(entry, null, canonical, previous, new SweepDecision(false, "its release tags could not be read"))
                    { Error = $"cannot read the release tags of {entry.Repository}: {ex.Message}" });
            }
        }
        return items;
    }

    /// <summary>Tags of the upstream repository; a history folder is built into a repository first (same history, same commits).</summary>
    private async Task<List<ReleaseTag>> ReleaseTagsAsync(RecipeEntry entry, CancellationToken ct)
    {
        var source = Catalog.ResolveSource(catalog.Directory, entry.Repository);
        if (Directory.Exists(source) && RecipeHistory.IsHistoryFolder(source))
        {
            var built = Path.Combine(scratch, entry.Name);
            if (!Directory.Exists(built)) await RecipeHistory.Load(source).BuildAsync(built, runner, ct);
            source = built;
        }
        return await GitRepository.RemoteReleaseTagsAsync(source, runner, ct);
    }
}
