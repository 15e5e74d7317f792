using RecipeCi.Recipes;

namespace RecipeCi.Lint;

/// <summary>What vetting found: the findings that refuse the deploy, and those the catalogue allows.</summary>
public sealed record Vetting(IReadOnlyList<LintFinding> Refused, IReadOnlyList<LintFinding> Allowed);

/// <summary>
/// The trust boundary before a deploy: the rules of <see cref="LintRules.TrustBoundary"/> over the
/// exact project the deploy will make (its compose files, the app's env, the tree on disk). A
/// finding refuses the deploy unless the operator allowed its rule in <c>recipes.yaml</c>.
/// </summary>
public static class TrustBoundary
{
    /// <summary>The tree's own files a deploy reads before any project exists (<c>.env.sample</c>, <c>abra.sh</c>), vetted for symlinks that leave it.</summary>
    public static Vetting VetTreeFiles(string recipePath, IReadOnlyCollection<string> allow) =>
        Split(HostAccessChecks.Check([], text => text, recipePath, ""), allow);

    public static Vetting Vet(RecipeProject project, string recipePath, IReadOnlyCollection<string> allow) =>
        Split(HostAccessChecks.Check(project.Files, project.Expand, recipePath, project.Values.GetValueOrDefault("STACK_NAME", "")), allow);

    private static Vetting Split(IEnumerable<LintFinding> findings, IReadOnlyCollection<string> allow)
    {
        var all = findings.DistinctBy(f => (f.Rule, f.File, f.Line, f.Message)).ToList();
        return new Vetting(all.Where(f => !allow.Contains(f.Name)).ToList(), all.Where(f => allow.Contains(f.Name)).ToList());
    }

    /// <summary>The refusal's reason: each finding's rule, place and what it is, then how an operator may allow it.</summary>
    public static string Reason(string what, IReadOnlyList<LintFinding> refused, string recipe) =>
        $"refused before deploying {what}, which reaches into the CI host: " +
        string.Join("; ", refused.Select(f => $"{f.Rule} {f.Name} at {f.Where}: {f.Message}")) +
        $". Nothing of this deploy reached the swarm. Fix the recipe; or, if the operator trusts it, allow the rule in recipes.yaml " +
        $"(recipes.{recipe}.allow: [{string.Join(", ", refused.Select(f => f.Name).Distinct())}])";
}
