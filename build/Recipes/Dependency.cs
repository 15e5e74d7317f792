namespace RecipeCi.Recipes;

/// <summary>How long a dependency app lives: for one run, or for a whole sweep (shared by every recipe of the sweep that needs it).</summary>
public enum DependencyScope { Run, Sweep }

/// <summary>
/// Another enrolled recipe an app needs (<c>depends:</c> in recipes.yaml): deployed before the
/// app's first deploy and wired into it by <see cref="Provision"/>, an executable in
/// <c>tests/&lt;recipe&gt;/</c> (the operator's tree, never the recipe's).
/// </summary>
/// <param name="Where">The catalogue line that declares it (<c>recipes.yaml:12</c>), for messages about it.</param>
public sealed record Dependency(string Recipe, string Provision, DependencyScope Scope, string Where)
{
    /// <summary>The provision hook's path, from the catalogue's folder.</summary>
    public string HookPath(string catalogDirectory, string app) => Path.Combine(catalogDirectory, "tests", app, Provision);
}
