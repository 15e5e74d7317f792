
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Verdicts;

namespace RecipeCi.Sweeps;

/// <summary>
/// Writes a recipe's canonical record only after a green cold run of the whole lifecycle on a
/// published release tag, and says what is on disk afterwards: a failed write is reported as
/// such, never as "promoted".
/// </summary>
public sealed class CanonicalPromotion(CanonicalStateStore state, TimeProvider time)
{
    public CanonicalOutcome Apply(SweepItem item, RunResult result)
    {
        if (!result.Passed) return new(false, $"not written: the verdict is {result.Verdict.Word()}", item.Canonical);
        if (!string.Equals(result.Mode, SweepPlan.RecipeTarget, StringComparison.OrdinalIgnoreCase))
            return new(false, $"not written: a {result.Mode} run is not the whole cold lifecycle", item.Canonical);
        if (result.Pr is not null) return new(false, $"not written: a run of PR {result.Pr} is not a published release", item.Canonical);
        if (item.Latest is not { } tag || result.Ref != tag.Commit)
            return new(false, $"not written: the tested head {result.Ref ?? "(none)"} is not the release {item.Latest?.Name} ({item.Latest?.Commit})", item.Canonical);
        try
        {
            var written = state.WriteCanonical(new CanonicalRecord(item.Entry.Name, tag.Name, tag.Commit, result.RunId, result.Level,
                time.GetUtcNow()) { Environment = result.Environment });
            return new(true, $"written: {written.Version} (L{written.Level}) to {state.CanonicalPath(item.Entry.Name)}", written);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new(false, $"write failed: {ex.Message}", state.TryReadCanonical(item.Entry.Name));
        }
    }
}
