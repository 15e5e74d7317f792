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
        Assert.StartsWith($"{Path.Combine(_dir, "recipes.yaml")}:3: recipes.hello.repository: {Path.Combine(_dir, "nowhere")} does not exist. Fix: ", error.Message);
    }

    [Fact]
    public async Task A_ref_the_repository_lacks_is_bad_input_listing_the_nearest_refs()
    {
        Repository();
        var error = await Assert.ThrowsAsync<BadInputException>(() => CheckAsync(Catalogue("repo"), "1.1.0+1.1"));
        Assert.Contains("--ref=1.1.0+1.1 is not in ", error.Message);
        Assert.Contains($"({Path.Combine(_dir, "recipes.yaml")}:3: recipes.hello.repository); ", error.Message);
        Assert.Contains("nearest refs: 1.1.0+1.0, 1.0.0+1.0, feature, main. Fix: ", error.Message);
    }

    [Fact]
    public async Task A_ref_the_repository_has_passes()
    {
        Repository();
        await CheckAsync(Catalogue("repo"), "1.0.0+1.0");
        await CheckAsync(Catalogue("repo"), "feature");
        await CheckAsync(Catalogue("repo"), null);
    }

    /// <summary>A bare clone reached by a file:// URL: a remote as FetchRecipe clones it, asked with git ls-remote.</summary>
    private string Remote()
    {
        Repository();
        Git("clone", "--quiet", "--bare", ".", Path.Combine(_dir, "remote.git"));
        return new Uri(Path.Combine(_dir, "remote.git")).AbsoluteUri;
    }

    [Fact]
    public async Task A_ref_a_remote_repository_lacks_is_bad_input_naming_file_line_and_the_nearest_refs()
    {
        var url = Remote();
        var error = await Assert.ThrowsAsync<BadInputException>(() => CheckAsync(Catalogue(url), "featur"));
        Assert.StartsWith($"--ref=featur is not in {url} ({Path.Combine(_dir, "recipes.yaml")}:3: recipes.hello.repository); nearest refs: feature, main, 1.0.0+1.0, 1.1.0+1.0. Fix: ",
            error.Message);
    }

    [Fact]
    public async Task A_remote_passes_its_refs_by_any_name_git_takes_and_leaves_commit_ids_and_an_unreachable_remote_to_the_fetch()
    {
        var url = Remote();
        foreach (var name in (string[])["1.1.0+1.0", "refs/tags/1.1.0+1.0", "feature", "origin/feature", "refs/heads/main", "HEAD", "main~0", "0123abcd", null!])
            await CheckAsync(Catalogue(url), name);
        await CheckAsync(Catalogue(new Uri(Path.Combine(_dir, "gone.git")).AbsoluteUri), "main");
    }

    /// <summary>A history folder (history.yaml and its template), as the samples and the scenarios write recipes.</summary>
    private void History()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "hist", "template"));
        File.WriteAllText(Path.Combine(_dir, "hist", "template", "compose.yml"), "version: \"3.8\"\n");
        File.WriteAllText(Path.Combine(_dir, "hist", RecipeHistory.FileName),
            "commits:\n  - {message: one, tag: 1.0.0+1}\n  - {message: two, tag: 1.1.0+2}\n  - {message: three}\n");
    }

    [Fact]
    public async Task A_ref_a_history_folder_will_not_create_is_bad_input_listing_the_refs_it_will()
    {
        History();
        var error = await Assert.ThrowsAsync<BadInputException>(() => CheckAsync(Catalogue("hist"), "1.2.0+2"));
        Assert.StartsWith($"--ref=1.2.0+2 is not in {Path.Combine(_dir, "hist")} ({Path.Combine(_dir, "recipes.yaml")}:3: recipes.hello.repository); " +
                          "nearest refs: 1.1.0+2, 1.0.0+1, main. Fix: ", error.Message);
        foreach (var name in (string[])["1.1.0+2", "main", "HEAD", "main~1"])
            await CheckAsync(Catalogue("hist"), name);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
