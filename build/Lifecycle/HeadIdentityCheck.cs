using RecipeCi.Naming;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>What HC1 found: the stamp swarm's current spec carries, which is the head's.</summary>
public sealed record HeadIdentity(string Label, string Stamp);

/// <summary>
/// HeadIdentityCheck (HC1): after convergence, the app service's <c>chaos-version</c> label,
/// minus <c>+U</c>, must be a prefix of the head ref. A red HC1 says what was found, what was
/// expected and what else is known; it never guesses a cause.
/// </summary>
public sealed class HeadIdentityCheck(DockerCli docker)
{
    public async Task<HeadIdentity> AssertAsync(RunPlan plan, StageRecorder stage, CancellationToken ct, string check = "HC1")
    {
        var key = plan.Stack.Label(AbraLabel.ChaosVersion);
        var app = await docker.ServiceAsync(plan.Stack.Of("app"), ct)
            ?? throw new StageFailure(StageStatus.Failed, $"{check}: there is no {plan.Stack.Of("app")} service to read the stamp from");
        var expected = plan.HeadRef;
        var found = app.Spec.Labels.GetValueOrDefault(key);
        var previous = app.PreviousSpec?.Labels.GetValueOrDefault(key);
        var treeHead = await plan.Repo.HeadAsync(ct);
        var dirty = await plan.Repo.IsDirtyAsync(ct);
        var facts = new Dictionary<string, object?>
        {
            ["label"] = key,
            ["found"] = found,
            ["expected_ref"] = expected,
            ["previous_spec_stamp"] = previous,
            ["chaos"] = app.Spec.Labels.GetValueOrDefault(plan.Stack.Label(AbraLabel.Chaos)),
            ["version"] = app.Spec.Labels.GetValueOrDefault(plan.Stack.Label(AbraLabel.Version)),
            ["update_state"] = app.UpdateStatus?.State,
            ["update_message"] = app.UpdateStatus?.Message,
            ["tree_head"] = treeHead,
            ["tree_dirty"] = dirty,
        };
        var file = check == "HC1" ? "hc1.json" : "identity.json";
        stage.WriteJson(file, facts);

        if (found is not null && StampsHead(found, expected))
        {
            stage.Log($"{check}: {key} = {found}, the head {plan.ShortHead}");
            return new HeadIdentity(key, found);
        }

        var known = new List<string>();
        if (found?.EndsWith("+U", StringComparison.Ordinal) == true) known.Add("the stamp carries +U: the tree was dirty at deploy (an overlay file counts)");
        if (previous is not null) known.Add($"the previous spec was stamped '{previous}'" +
            (StampsHead(previous, expected) ? ", the head's stamp: swarm's current spec is not the one the head deploy applied" : ""));
        known.Add($"swarm's update state is {app.UpdateStatus?.State?.Text ?? "none"}" + (app.UpdateStatus?.Message is { } m ? $" ({m})" : ""));
        known.Add(treeHead == expected ? "the run's recipe tree is at the head now" : $"the run's recipe tree is at {treeHead[..12]} now, not at the head");
        stage.Evidence.Add(file);
        throw new StageFailure(StageStatus.Failed,
            $"{check}: {key} is '{found ?? "(absent)"}', expected a stamp of the head {plan.ShortHead}. Also known: {string.Join("; ", known)}");
    }

    /// <summary>A chaos stamp (8 hex of HEAD, <c>+U</c> when dirty) names the ref when it is a prefix of it.</summary>
    private static bool StampsHead(string stamp, string head) =>
        stamp.Split('+')[0] is { Length: >= 7 } sha && head.StartsWith(sha, StringComparison.OrdinalIgnoreCase);
}
