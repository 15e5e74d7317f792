using RecipeCi.Checks;
using RecipeCi.Evidence;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// <c>tests/&lt;recipe&gt;/install</c>: a maintainer's step between <c>abra app new</c> + the env
/// file and the first deploy (e.g. an env line only known then, a config the recipe expects).
/// It comes from Recipe CI's own repository, never from the recipe, so it is trusted to run on the host.
/// </summary>
public static class InstallHook
{
    public const string LogFile = "install-hook.log";

    /// <summary>The recipe's executable install hook, or null.</summary>
    public static string? Find(RecipeRun run)
    {
        var file = Path.Combine(CustomChecks.Folder(run), CheckReader.InstallHookName);
        return File.Exists(file) && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? file : null;
    }

    /// <summary>Runs the hook (when there is one) with the RECIPE_CI_* env and the app's env file; a non-zero exit fails the install rung.</summary>
    public static async Task RunAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        if (Find(run) is not { } hook) return;
        var env = CheckRunner.RecipeEnvironment(run.Entry.Name, plan.Domain, plan.Stack, run.AppEnv(plan).Project(plan.Stack).Services.Select(s => s.Name));
        env["RECIPE_CI_ENV_FILE"] = run.AbraDir.EnvPath(run.Options.Server, plan.Domain);
        env["RECIPE_CI_RECIPE_DIR"] = run.RecipePath;
        stage.Log($"install hook: {hook}");
        var r = await run.Runner.RunAsync(new Command(hook) { Environment = env, Check = false, WorkingDirectory = run.RecipePath, Timeout = TimeSpan.FromMinutes(5) }, ct);
        stage.Write(LogFile, r.Output);
        stage.Evidence.Add(LogFile);
        if (!r.Succeeded)
        {
            var tail = string.Join("\n", r.Output.Split('\n').TakeLast(10));
            throw new StageFailure(StageStatus.Failed, $"install hook tests/{run.Entry.Name}/install exited {r.ExitCode}: {tail}");
        }
    }
}
