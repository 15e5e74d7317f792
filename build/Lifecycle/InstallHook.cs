using RecipeCi.Checks;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// <c>tests/&lt;recipe&gt;/install</c>: a maintainer's step between <c>abra app new</c> + the env
/// file and the first deploy (e.g. an env line only known then, a config the recipe expects).
/// It comes from Recipe CI's own repository, never from the recipe, so it is trusted to run on the host.
/// </summary>
public sealed class InstallHook(RecipeEntry entry, RunFolders folders, CommandRunner runner)
{
    public const string LogFile = "install-hook.log";

    /// <summary>The recipe's executable install hook, or null.</summary>
    public string? Find()
    {
        var file = Path.Combine(folders.Tests, CheckReader.InstallHookName);
        return File.Exists(file) && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? file : null;
    }

    /// <summary>Runs the hook (when there is one) with the RECIPE_CI_* env and the app's env file; a non-zero exit fails the install rung.</summary>
    public async Task RunAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        if (Find() is not { } hook) return;
        var env = CheckRunner.RecipeEnvironment(entry.Name, plan.Domain, plan.Stack, folders.AppEnv(plan).Project(plan.Stack).Services.Select(s => s.Name));
        env["RECIPE_CI_ENV_FILE"] = folders.EnvPath(plan.Domain);
        env["RECIPE_CI_RECIPE_DIR"] = folders.RecipePath;
        stage.Log($"install hook: {hook}");
        var r = await runner.RunAsync(new Command(hook) { Environment = env, Check = false, WorkingDirectory = folders.RecipePath, Timeout = TimeSpan.FromMinutes(5) }, ct);
        stage.Write(LogFile, r.Output);
        stage.Evidence.Add(LogFile);
        if (!r.Succeeded)
        {
            var tail = string.Join("\n", r.Output.Split('\n').TakeLast(10));
            throw new StageFailure(StageStatus.Failed, $"install hook tests/{entry.Name}/install exited {r.ExitCode}: {tail}");
        }
    }
}
