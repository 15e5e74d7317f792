using RecipeCi.Evidence;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// AssertHeadDeployed (HC1): after convergence, the app service's <c>chaos-version</c> label,
/// minus <c>+U</c>, must be a prefix of the head ref. A red HC1 says what was found, what was
/// expected and what else is known; it never guesses a cause.
/// </summary>
public static class HeadIdentityCheck
{
    public static async Task AssertAsync(RecipeRun run, StageRecorder stage, string check = "HC1")
    {
        var ct = run.Cancellation;
        var key = $"coop-cloud.{run.Stack}.chaos-version";
        var app = await run.Docker.ServiceAsync($"{run.Stack}_app", ct)
            ?? throw new StageFailure(StageStatus.Failed, $"{check}: there is no {run.Stack}_app service to read the stamp from");
        var expected = run.HeadRef!;
        var found = app.Spec.Labels.GetValueOrDefault(key);
        var previous = app.PreviousSpec?.Labels.GetValueOrDefault(key);
        var treeHead = await run.Repo!.HeadAsync(ct);
        var dirty = await run.Repo.IsDirtyAsync(ct);
        var facts = new Dictionary<string, object?>
        {
            ["label"] = key,
            ["found"] = found,
            ["expected_ref"] = expected,
            ["previous_spec_stamp"] = previous,
            ["chaos"] = app.Spec.Labels.GetValueOrDefault($"coop-cloud.{run.Stack}.chaos"),
            ["version"] = app.Spec.Labels.GetValueOrDefault($"coop-cloud.{run.Stack}.version"),
            ["update_state"] = app.UpdateStatus?.State,
            ["update_message"] = app.UpdateStatus?.Message,
            ["tree_head"] = treeHead,
            ["tree_dirty"] = dirty,
        };
        var file = check == "HC1" ? "hc1.json" : "identity.json";
        stage.WriteJson(file, facts);

        var sha = found?.Split('+')[0];
        if (sha is { Length: >= 7 } && expected.StartsWith(sha, StringComparison.OrdinalIgnoreCase))
        {
            stage.Log($"{check}: {key} = {found}, the head {expected[..12]}");
            return;
        }

        var known = new List<string>();
        if (found?.EndsWith("+U", StringComparison.Ordinal) == true) known.Add("the stamp carries +U: the tree was dirty at deploy (an overlay file counts)");
        if (previous is not null) known.Add($"the previous spec was stamped '{previous}'" +
            (previous.Split('+')[0] is { Length: >= 7 } p && expected.StartsWith(p, StringComparison.OrdinalIgnoreCase) ? ", the head's stamp: swarm's current spec is not the one the head deploy applied" : ""));
        known.Add($"swarm's update state is {app.UpdateStatus?.State ?? "none"}" + (app.UpdateStatus?.Message is { } m ? $" ({m})" : ""));
        known.Add(treeHead == expected ? "the run's recipe tree is at the head now" : $"the run's recipe tree is at {treeHead[..12]} now, not at the head");
        stage.Evidence.Add(file);
        throw new StageFailure(StageStatus.Failed,
            $"{check}: {key} is '{found ?? "(absent)"}', expected a stamp of the head {expected[..12]}. Also known: {string.Join("; ", known)}");
    }
}
