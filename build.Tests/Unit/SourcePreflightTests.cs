using System.Diagnostics;
using RecipeCi.Abra;
using RecipeCi.Lifecycle;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>A missing repository or a --ref it lacks is bad input before a run folder exists (a real git repository, no swarm).</summary>
public sealed class SourcePreflightTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-preflight-").FullName;

    private string Catalogue(string repository)
    {
        var file = Path.Combine(_dir, "recipes.yaml");
        File.WriteAllText(file, $"recipes:\n  hello:\n    repository: {repository}\n");
        return file;
    }

    private static RunInputs Inputs(string? gitRef) =>
        new("hello", null, gitRef, null, "artifacts", "r1", AbraMode.Local, "default", "ci.local", "locks", new HashSet<Rung>(Rungs.All), TimeSpan.FromMinutes(5));

    private Task CheckAsync(string catalogue, string? gitRef)
    {
        var catalog = Catalog.Load(catalogue);
        return new SourcePreflight(new CommandRunner()).CheckAsync(catalog, catalog.Get("hello"), Inputs(gitRef), CancellationToken.None);
    }

    private void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path.Combine(_dir, "repo"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "user.name=t", "-c", "user.email=t@example.org", .. args]) start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }

    private void Repository()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "repo"));
        Git("init", "--quiet", "--initial-branch=main");
        Git("commit", "--quiet", "--allow-empty", "-m", "one");
        Git("tag", "1.0.0+1.0");
        Git("tag", "1.1.0+1.0");
        Git("branch", "feature");
    }

    [Fact]
    public async Task A_repository_path_that_does_not_exist_is_bad_input_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<BadInputException>(() => CheckAsync(Catalogue("nowhere"), null));
        Assert.StartsWith($"recipes.hello.repository in {Path.Combine(_dir, "recipes.yaml")}: {Path.Combine(_dir, "nowhere")} does not exist. Fix: ", error.Message);
    }

    [Fact]
    public async Task A_ref_the_repository_lacks_is_bad_input_listing_the_nearest_refs()
    {
        Repository();
        var error = await Assert.ThrowsAsync<BadInputException>(() => CheckAsync(Catalogue("repo"), "1.1.0+1.1"));
        Assert.Contains("--ref=1.1.0+1.1 is not in ", error.Message);
        Assert.Contains("(recipes.hello.repository in ", error.Message);
        Assert.Contains("nearest refs: 1.1.0+1.0, 1.0.0+1.0, feature, main. Fix: ", error.Message);
    }

    [Fact]
    public async Task A_ref_the_repository_has_and_a_remote_repository_pass()
    {
        Repository();
        await CheckAsync(Catalogue("repo"), "1.0.0+1.0");
        await CheckAsync(Catalogue("repo"), "feature");
        await CheckAsync(Catalogue("repo"), null);
        await CheckAsync(Catalogue("https://git.example.org/hello.git"), "anything");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
