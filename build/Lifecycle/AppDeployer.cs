using RecipeCi.Abra;
using RecipeCi.Evidence;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>DeployBase, CheckoutHead and ChaosRedeploy: the deploys of an upgrade, through abra.</summary>
public static class AppDeployer
{
    /// <summary>
    /// The run's first deploy: <c>abra app new</c>, the app's env, secrets, then the base release
    /// (when an upgrade follows) or the head (a chaos deploy of the exact ref).
    /// </summary>
    public static async Task DeployFirstAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        var tag = run.FirstDeploy == FirstDeploy.Base ? run.Base!.Tag! : null;
        await run.Abra.AppNewAsync(run.Entry.Name, tag?.Name, run.Options.Server, run.Domain, ct);
        run.AppCreated = true;

        var env = EnvFile.Load(run.AbraDir.EnvPath(run.Options.Server, run.Domain));
        foreach (var (k, v) in run.Entry.Env) env.Set(k, v);
        if (run.OverlayFile is not null)
            env.Set("COMPOSE_FILE", $"{(env.Get("COMPOSE_FILE") is { Length: > 0 } cf ? cf : "compose.yml")}:{run.OverlayFile}");
        env.Save();
        stage.Write("app.env", env.ToString());

        await run.Abra.SecretGenerateAllAsync(run.Domain, ct);
        run.BeforeDeploy = await StackSnapshot.CaptureAsync(run.Docker, run.Stack, ct);
        if (tag is null)
        {
            // abra app new moved the tree to a release; the head is the exact ref under test.
            await run.Repo!.CheckoutAsync(run.HeadRef!, ct);
            stage.Log($"deploying the head {run.HeadRef![..12]} (--chaos)");
            await run.Abra.DeployAsync(run.Domain, new DeployRequest(Chaos: true), ct);
        }
        else
        {
            await run.Repo!.CheckoutAsync(tag.Name, ct);
            // abra refuses a pinned deploy of a dirty tree; with an overlay present the base goes
            // out as a chaos deploy of the tag's commit, which is what abra allows.
            var chaos = run.OverlayFile is not null;
            stage.Log(chaos ? $"deploying base {tag.Name} (--chaos: the overlay makes the tree dirty)" : $"deploying base {tag.Name}");
            await run.Abra.DeployAsync(run.Domain, new DeployRequest(chaos ? null : tag.Name, Chaos: chaos), ct);
        }
        await GitEvidence.WriteAsync(run.Repo, stage, "git.txt", ct);
    }

    public static async Task CheckoutHeadAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        await run.Repo!.CheckoutAsync(run.HeadRef!, ct);
        var now = await run.Repo.HeadAsync(ct);
        await GitEvidence.WriteAsync(run.Repo, stage, "git.txt", ct);
        if (now != run.HeadRef)
            throw new StageFailure(StageStatus.Failed, $"after checkout the tree's HEAD is {now}, not the head {run.HeadRef}");
        stage.Log($"recipe tree at the head {now[..12]}");
    }

    public static async Task ChaosRedeployAsync(RecipeRun run, StageRecorder stage)
    {
        var ct = run.Cancellation;
        run.BeforeDeploy = await StackSnapshot.CaptureAsync(run.Docker, run.Stack, ct);
        stage.WriteJson("services-before.json", run.BeforeDeploy.Services.Values.Select(s => s.Raw));
        stage.Log($"deploying the head {run.HeadRef![..12]} with --chaos");
        await run.Abra.DeployAsync(run.Domain, new DeployRequest(Chaos: true), ct);
    }

    /// <summary>The services the app's compose files declare at the tree's current checkout.</summary>
    public static List<ComposeFile> ComposeFiles(RecipeRun run)
    {
        var env = EnvFile.Load(run.AbraDir.EnvPath(run.Options.Server, run.Domain)).Values();
        var files = (env.GetValueOrDefault("COMPOSE_FILE") is { Length: > 0 } cf ? cf : "compose.yml")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return files.Select(f => Path.Combine(run.RecipePath, f)).Where(File.Exists).Select(ComposeFile.Load).ToList();
    }
}
