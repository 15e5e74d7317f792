using RecipeCi.Files;
using RecipeCi.Reports;
using RecipeCi.Results;

namespace RecipeCi.Publishing;

/// <summary>What Publish wrote: the status, and the comment file (the one posted).</summary>
public sealed record Published(CommitStatus Status, string CommentFile);

/// <summary>
/// Writes what a run tells the PR, next to its results.json: <c>pr-comment.md</c> and
/// <c>commit-status.json</c>; for a run that stopped at bad input, beside its kept message instead
/// (<see cref="KeptBadInput.Beside"/>), so that no run folder is made for a run that never began.
/// Posting them is the bridge's job; the files are the contract.
/// Links and contexts come from the CI's environment (<paramref name="env"/>).
/// </summary>
public sealed class Publisher(ArtifactWriter writer, Func<string, string?> env)
{
    /// <param name="quick">The run left rungs out (its --stages / STAGES): said in the comment and the status context.</param>
    /// <param name="badInput">What the run said when it stopped at bad input (<see cref="BadInputRecord"/>), when it left no results.</param>
    public Published Write(string resultsPath, string recipe, bool quick, KeptBadInput? badInput = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        var (commentFile, statusFile) = (Path.Combine(directory, PrComment.FileName), Path.Combine(directory, CommitStatus.FileName));
        string comment;
        CommitStatus status;
        if (File.Exists(resultsPath))
        {
            var result = RunResult.Read(resultsPath);
            (comment, status) = (PrComment.Render(result, quick, env), CommitStatus.From(result, quick, env));
        }
        else if (badInput is not null)
        {
            (comment, status) = (PrComment.BadInput(recipe, badInput.Message, env), CommitStatus.BadInput(recipe, quick, badInput.Message, env));
            (commentFile, statusFile) = (badInput.Beside(PrComment.FileName), badInput.Beside(CommitStatus.FileName));
        }
        else
        {
            (comment, status) = (PrComment.Missing(recipe, resultsPath, env), CommitStatus.Missing(recipe, quick, resultsPath, env));
        }
        writer.Write(commentFile, comment);
        writer.WriteJson(statusFile, status);
        return new(status, commentFile);
    }
}
