using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Host;
using RecipeCi.Publishing;
using RecipeCi.Reports;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Publish")]
[TaskDescription("Write a run's PR comment (pr-comment.md: level, verdict, rung table) and commit status (commit-status.json) next to its results.json")]
[ReadsOptions("results recipe run-id artifacts stages")]
public sealed class PublishTarget : FrostingTask<RecipeContext>
{
    public override void Run(RecipeContext context)
    {
        var o = context.Options;
        var path = o.Results
            ?? (o.Recipe is not null && context.Arguments.HasArgument("run-id")
                ? Path.Combine(o.Artifacts, "runs", o.RunId, o.Recipe, RunResult.FileName)
                : throw new BadInputException("Publish needs --results=<path to results.json>, or --recipe and --run-id of the run"));
        var recipe = o.Recipe ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
        // The rungs the run was given (--stages, or Drone's STAGES in the same build) tell a quick run from a full one.
        var status = Publisher.Write(path, recipe, TriggerParser.IsQuick(o.Rungs), Environment.GetEnvironmentVariable);
        context.Say($"commit status {status.State} ({status.Context}): {status.Description}");
        context.Say($"wrote {PrComment.FileName} and {CommitStatus.FileName} next to {path}");
    }
}
