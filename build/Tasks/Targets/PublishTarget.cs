using RecipeCi.Files;
using RecipeCi.Bridge;
using RecipeCi.Context;
using RecipeCi.Forge;
using RecipeCi.Host;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Recipes;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Publish")]
[TaskDescription("Write a run's PR comment (pr-comment.md: level, verdict, rung table) and commit status (commit-status.json) next to its results.json (a bad-input run's beside its kept message); with --post also post them to the PR (one comment per recipe, edited on re-runs; the status on the tested --ref)")]
[ReadsOptions("results recipe run-id artifacts stages post pr ref catalog forge-url bot")]
public sealed class PublishTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var o = context.Options;
        var path = o.Results
            ?? (o.Recipe is not null && context.Arguments.HasArgument("run-id")
                ? Path.Combine(o.Artifacts, "runs", o.RunId, o.Recipe, RunResult.FileName)
                : throw new BadInputException("Publish needs --results=<path to results.json>, or --recipe and --run-id of the run"));
        var recipe = o.Recipe ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
        // The forge token is known before anything is written, so neither the files nor the post can carry it.
        var redactor = new Redactor();
        new ForgeSecrets(Environment.GetEnvironmentVariable, redactor).Read(BridgeOptions.ForgeTokenVariable);
        var badInput = o.Results is null && BadInputRecord.Read(o.Artifacts, o.RunId, recipe) is { } kept ? kept with { Message = redactor.Redact(kept.Message) } : null;
        // The rungs the run was given (--stages, or Drone's STAGES in the same build) tell a quick run from a full one.
        var (status, commentFile) = new Publisher(new ArtifactWriter(redactor), Environment.GetEnvironmentVariable).Write(path, recipe, TriggerParser.IsQuick(o.Rungs), badInput);
        context.Say($"commit status {status.State} ({status.Context}): {status.Description}");
        context.Say($"wrote {commentFile} and the commit status beside it");
        if (o.Bridge.Post) await PostAsync(context, recipe, commentFile, status, redactor);
    }

    /// <summary>Everything --post needs is checked first (exit 2 when missing); the forge failing is only said.</summary>
    private static async Task PostAsync(RecipeContext context, string recipe, string commentFile, CommitStatus status, Redactor redactor)
    {
        var o = context.Options;
        var pr = int.TryParse(o.Pr, out var n) ? n : throw new BadInputException("Publish --post needs --pr (the pull request's number)");
        var sha = o.Ref ?? throw new BadInputException("Publish --post needs --ref: the commit the run tested, where the status goes");
        var catalog = Catalog.Load(o.Catalog);
        var repo = catalog.Get(recipe).Forge
            ?? throw new BadInputException($"Publish --post: {catalog.File} gives {recipe} no forge repository. Fix: add 'forge: owner/name' under recipes.{recipe}");
        void Say(string line) => context.Say(redactor.Redact(line));
        var gitea = GiteaClient.Create(o.Bridge.RequireForge("Publish --post"),
            new ForgeSecrets(Environment.GetEnvironmentVariable, redactor).Require(BridgeOptions.ForgeTokenVariable, "Publish --post"), redactor, Say);
        await new ResultPoster(gitea, o.Bridge.RequireBot("Publish --post"), Say)
            .PostAsync(repo, pr, recipe, sha, await File.ReadAllTextAsync(commentFile), status, context.Interrupt.Token);
    }
}
