using System.Text.RegularExpressions;
using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lifecycle;

/// <summary>A secret a deploy of the head needs: its short name, its version and the swarm name it gets.</summary>
public sealed record PlannedSecret(string Name, string Version, string SwarmName);

/// <summary>A config of the compose files and the swarm name it gets.</summary>
public sealed record PlannedConfig(string Key, string SwarmName);

/// <summary>
/// What a <c>Recipe</c> run of this ref would do, resolved without touching the swarm: the head and
/// its version, the base and why, what is deployed first, the compose files, services, secrets and
/// configs a fresh app of the head gets (its <c>.env.sample</c>, the catalogue's <c>env:</c>, the
/// overlay), the rungs, the customization and the app's names. <c>plan.json</c> in the stage folder.
/// </summary>
public sealed record DeployPlan(
    string Recipe, string Head, string? HeadVersion, string? Base, string BaseHow, FirstDeploy FirstDeploy,
    IReadOnlyList<string> ComposeFiles, IReadOnlyList<string> Services, IReadOnlyList<PlannedSecret> Secrets,
    IReadOnlyList<PlannedConfig> Configs, IReadOnlyList<Rung> Rungs, string AppDomain, string Stack,
    IReadOnlyDictionary<string, object?> Customization);

/// <summary>PlanSummary: prints the plan a full run would follow (the Plan target), from the fetched tree alone.</summary>
public sealed partial class PlanSummary(RecipeEntry entry, IReadOnlySet<Rung> picked)
{
    public const string FileName = "plan.json";

    [GeneratedRegex(@"^SECRET_(?<name>[A-Z0-9_]+)_VERSION$")]
    private static partial Regex SecretKey();

    public DeployPlan Describe(RunPlan plan, StageRecorder stage)
    {
        var env = AppEnv.FromSample(plan.Repo.Path);
        foreach (var (k, v) in entry.Env) env.File.Set(k, v);
        if (plan.OverlayFile is not null) env.File.Set("COMPOSE_FILE", string.Join(':', [.. env.ComposeFileNames(), plan.OverlayFile]));
        var project = env.Project(plan.Stack);
        var values = project.Values;

        // A Recipe run of this ref: its rungs and what it would deploy first.
        var rungs = TargetScope.Of("Recipe", null).Planned(picked);
        var result = new DeployPlan(
            entry.Name, plan.HeadRef, plan.HeadVersion?.Text, plan.Base.Tag?.Name, plan.Base.How,
            TargetScope.Of("Recipe", null).Choose(picked, plan.Base),
            env.ComposeFileNames(), [.. project.Services.Select(s => s.Name)],
            values.Select(kv => (Match: SecretKey().Match(kv.Key), Version: kv.Value)).Where(x => x.Match.Success)
                .Select(x =>
                {
                    var name = x.Match.Groups["name"].Value.ToLowerInvariant();
                    return new PlannedSecret(name, x.Version, plan.Stack.Secret(name, x.Version));
                })
                .ToList(),
            Configs(project.Files, values, plan.Stack),
            [.. Rungs.All.Where(rungs.Contains)], plan.Domain, plan.Stack.Value, plan.Customization);
        stage.WriteJson(FileName, result);
        foreach (var line in Lines(result)) stage.Log(line);
        return result;
    }

    /// <summary>Configs by their explicit <c>name:</c> (interpolated), else as swarm names them, <c>&lt;stack&gt;_&lt;key&gt;</c>.</summary>
    private static List<PlannedConfig> Configs(IEnumerable<ComposeFile> composes, IReadOnlyDictionary<string, string> values, StackName stack) =>
        composes.SelectMany(c => c.Root.Children.TryGetValue(new YamlScalarNode("configs"), out var node) && node is YamlMappingNode map
                ? map.Children.Select(kv => (Key: ((YamlScalarNode)kv.Key).Value ?? "", Value: kv.Value))
                : [])
            .DistinctBy(c => c.Key)
            .Select(c => new PlannedConfig(c.Key,
                c.Value is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { } name }
                    ? EnvFile.Interpolate(name, values)
                    : stack.Of(c.Key)))
            .ToList();

    private static IEnumerable<string> Lines(DeployPlan p)
    {
        yield return $"plan of {p.Recipe}: head {p.Head[..12]} ({p.HeadVersion ?? "no version label"})";
        yield return $"  base: {p.BaseHow}; first deploy: {p.FirstDeploy.Word()}";
        yield return $"  compose files: {string.Join(", ", p.ComposeFiles)}";
        yield return $"  services: {string.Join(", ", p.Services)}";
        yield return $"  secrets: {(p.Secrets.Count == 0 ? "(none)" : string.Join(", ", p.Secrets.Select(s => $"{s.SwarmName} ({s.SwarmName.Length} chars)")))}";
        yield return $"  configs: {(p.Configs.Count == 0 ? "(none)" : string.Join(", ", p.Configs.Select(c => $"{c.SwarmName} ({c.SwarmName.Length} chars)")))}";
        yield return $"  rungs of a Recipe run: {string.Join(", ", p.Rungs.Select(r => r.Word()))}";
        yield return $"  app domain {p.AppDomain}, stack {p.Stack}";
    }
}
