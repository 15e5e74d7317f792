using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Reports;
using RecipeCi.Results;

namespace RecipeCi.Publishing;

/// <summary>
/// Writes what a run tells the PR, next to its results.json: <c>pr-comment.md</c> and
/// <c>commit-status.json</c>. Posting them is the bridge's job; the files are the contract.
/// Links and contexts come from the CI's environment (<paramref name="env"/>).
/// </summary>
public sealed class Publisher(ArtifactWriter writer, Func<string, string?> env)
{
    /// <param name="quick">The run left rungs out (its --stages / STAGES): said in the comment and the status context.</param>
    /// <param name="badInput">What the run said when it stopped at bad input (<see cref="BadInputRecord"/>), when it left no results.</param>
    public CommitStatus Write(string resultsPath, string recipe, bool quick, string? badInput = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        string comment;
        CommitStatus status;
        if (File.Exists(resultsPath))
        {
            var result = RunResult.Read(resultsPath);
            (comment, status) = (PrComment.Render(result, quick, env), CommitStatus.From(result, quick, env));
        }
        else if (badInput is not null)
        {
            (comment, status) = (PrComment.BadInput(recipe, badInput, env), CommitStatus.BadInput(recipe, quick, badInput, env));
        }
        else
        {
            (comment, status) = (PrComment.Missing(recipe, resultsPath, env), CommitStatus.Missing(recipe, quick, resultsPath, env));
        }
        writer.Write(Path.Combine(directory, PrComment.FileName), comment);
        writer.WriteJson(Path.Combine(directory, CommitStatus.FileName), status);
        return status;
    }
}
