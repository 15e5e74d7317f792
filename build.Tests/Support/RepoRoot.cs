namespace RecipeCi.Tests.Support;

/// <summary>The repository's root, found from the test binaries upwards.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "recipes.yaml")) && Directory.Exists(System.IO.Path.Combine(d.FullName, "build")))
                return d.FullName;
        throw new DirectoryNotFoundException("repository root (with recipes.yaml and build/) not found above " + AppContext.BaseDirectory);
    }
}
