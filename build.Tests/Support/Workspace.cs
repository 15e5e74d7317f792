using Newtonsoft.Json.Linq;
using RecipeCi.Lifecycle;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A throw-away folder with a recipes.yaml, recipe repositories, artifacts and lock files, so that
/// scenarios never share state and can run side by side.
/// </summary>
public sealed class Workspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("recipe-ci-test-").FullName;
    public string Catalog => Path.Combine(Root, "recipes.yaml");
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string LockDir => Path.Combine(Root, "locks");

    /// <summary>Builds the recipe's repository and enrols it (extra YAML lines go under its entry).</summary>
    public async Task<string> AddRecipeAsync(string name, RecipeHistory history, string extra = "")
    {
        var repo = Path.Combine(Root, "repos", name);
        await history.BuildAsync(repo, new CommandRunner(), CancellationToken.None);
        // Generous budgets: the suite shares two cores with whatever else runs; nothing here asserts speed.
        // Small declared needs, so that every scenario goes through admission for real.
        var entry = $"  {name}:\n    repository: {repo}\n    timeouts: {{deploy: 240, health: 90}}\n    needs: {{memory_mb: 16, disk_mb: 16}}\n{extra}";
        var existing = File.Exists(Catalog) ? await File.ReadAllTextAsync(Catalog) : "recipes:\n";
        await File.WriteAllTextAsync(Catalog, existing + entry);
        return repo;
    }

    /// <summary>Writes an executable script at a path relative to the workspace (a check, a hook), folders included.</summary>
    public async Task<string> WriteScriptAsync(string relativePath, string text)
    {
        var file = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, text);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return file;
    }

    public async Task<string> GitAsync(string repo, params string[] args) =>
        (await new CommandRunner().RunAsync(new Command("git", ["-C", repo, .. args]))).Stdout.Trim();

    public Task<HarnessResult> RunAsync(string target, string recipe, params string[] extra) =>
        Harness.RunAsync(Args(target, recipe, NewRunId(recipe), extra));

    public static string NewRunId(string recipe) => $"{recipe}-{Guid.NewGuid():N}"[..31];

    /// <summary>The command line of a run of this workspace's catalogue, artifacts and lock folder.</summary>
    public string[] Args(string target, string recipe, string runId, params string[] extra) =>
        [$"--target={target}", $"--recipe={recipe}", $"--catalog={Catalog}", $"--artifacts={Artifacts}",
            $"--lock-dir={LockDir}", $"--run-id={runId}", .. extra];

    /// <summary>The folder of one run; results.json appears in it once the run has started.</summary>
    public string RunDir(string runId, string recipe) => Path.Combine(Artifacts, "runs", runId, recipe);

    public RunResult Results(string runId, string recipe) => RunResult.Read(Path.Combine(RunDir(runId, recipe), RunResult.FileName));

    /// <summary>The results.json of the only run of a recipe in this workspace.</summary>
    public RunResult Results(string recipe) =>
        RunResult.Read(Directory.GetFiles(Path.Combine(Artifacts, "runs"), RunResult.FileName, SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == recipe));

    /// <summary>Why a run ended as it did, for assertion messages: verdict, reason and the output's tail.</summary>
    public string Explain(string recipe, HarnessResult run)
    {
        var tail = string.Join("\n", run.Output.Split('\n').TakeLast(25));
        try
        {
            var r = Results(recipe);
            return $"exit {run.ExitCode}; verdict {r.Verdict}: {r.Reason}\n{tail}";
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            return $"exit {run.ExitCode}; no results.json\n{tail}";
        }
    }

    public string RunDir(string recipe) => Path.GetDirectoryName(
        Directory.GetFiles(Path.Combine(Artifacts, "runs"), RunResult.FileName, SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == recipe))!;

    /// <summary>The evidence folder of a stage of the only run of a recipe, found by the stage.</summary>
    public string StageDir(string recipe, StageId stage) => Path.Combine(RunDir(recipe), Results(recipe).Stages.Single(s => s.Stage == stage).Folder);

    public JObject StageJson(string recipe, StageId stage) =>
        JObject.Parse(File.ReadAllText(Path.Combine(StageDir(recipe, stage), "stage.json")));

    /// <summary>Every docker resource of the stack that still exists.</summary>
    public static Task<List<string>> LeftoversAsync(string stack) =>
        new StackResources(new DockerCli(new CommandRunner()), new StackName(stack), TimeProvider.System, _ => { }).RemainingAsync(CancellationToken.None);

    /// <summary>Set to keep every workspace for a post-mortem of a red scenario.</summary>
    public const string KeepVariable = "RECIPE_CI_KEEP_TEST_WORKSPACES";

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) == "1") return;
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
