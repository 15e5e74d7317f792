using Newtonsoft.Json;
using RecipeCi.Evidence;

namespace RecipeCi.Publishing;

/// <summary>
/// Writes what a run tells the PR, next to its results.json: <c>pr-comment.md</c> and
/// <c>commit-status.json</c>. Posting them is the bridge's job; the files are the contract.
/// </summary>
public static class Publisher
{
    public static CommitStatus Write(string resultsPath, string recipe, Func<string, string?> env)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        string comment;
        CommitStatus status;
        if (File.Exists(resultsPath))
        {
            var result = RunResult.Read(resultsPath);
            (comment, status) = (PrComment.Render(result, env), CommitStatus.From(result, env));
        }
        else
        {
            (comment, status) = (PrComment.Missing(recipe, resultsPath, env), CommitStatus.Missing(recipe, resultsPath, env));
        }
        AtomicFile.Write(Path.Combine(directory, PrComment.FileName), comment);
        AtomicFile.Write(Path.Combine(directory, CommitStatus.FileName), JsonConvert.SerializeObject(status, RunResult.Json));
        return status;
    }
}
