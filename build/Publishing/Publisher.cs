using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Reports;
using RecipeCi.Results;

namespace RecipeCi.Publishing;

/// <summary>
/// Writes what a run tells the PR, next to its results.json: <c>pr-comment.md</c> and
/// <c>commit-status.json</c>. Posting them is the bridge's job; the files are the contract.
/// </summary>
public static class Publisher
{
    /// <param name="quick">The run left rungs out (its --stages / STAGES): said in the comment and the status context.</param>
    public static CommitStatus Write(string resultsPath, string recipe, bool quick, Func<string, string?> env)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        string comment;
        CommitStatus status;
        if (File.Exists(resultsPath))
        {
            var result = RunResult.Read(resultsPath);
            (comment, status) = (PrComment.Render(result, quick, env), CommitStatus.From(result, quick, env));
        }
        else
        {
            (comment, status) = (PrComment.Missing(recipe, resultsPath, env), CommitStatus.Missing(recipe, quick, resultsPath, env));
        }
        ArtifactWriter.NoSecrets.Write(Path.Combine(directory, PrComment.FileName), comment);
        ArtifactWriter.NoSecrets.WriteJson(Path.Combine(directory, CommitStatus.FileName), status);
        return status;
    }
}
