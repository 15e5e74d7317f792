using System.Text.RegularExpressions;
using RecipeCi.Abra;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What an operator does before deploying a new version, and so the run before a deploy: adds the
/// keys the tree's <c>.env.sample</c> has and the app's env lacks (with the sample's lines, hints
/// included; keys the head removed are left alone), checks that every key the compose files
/// require (<c>${KEY:?...}</c>) has a value, and generates the declared secrets that do not exist yet.
/// </summary>
public sealed partial class EnvUpgrader(RecipeEntry entry, RunFolders folders, IAbra abra, DockerCli docker)
{
    [GeneratedRegex(@"\$\{(?<key>[A-Za-z_][A-Za-z0-9_]*)(?<colon>:?)\?")]
    private static partial Regex RequiredReference();

    /// <summary>Adds the sample's new keys, then <see cref="PrepareAsync"/>; prints and records what it did.</summary>
    /// <param name="beforeSecrets">Runs once the env declares the head's secrets, before the missing ones are generated (inserting those a hook gave).</param>
    public async Task<EnvUpgrade> UpgradeAsync(RunPlan plan, Func<Task> beforeSecrets, StageRecorder stage, CancellationToken ct)
    {
        var env = folders.AppEnv(plan);
        var added = AddSampleKeys(env);
        env.File.Save();
        await beforeSecrets();
        var generated = await PrepareAsync(plan, ct);
        var upgrade = new EnvUpgrade(added, generated);
        stage.Log($"env keys added from the head's .env.sample: {(added.Count == 0 ? "none" : string.Join(", ", added))}");
        stage.Log($"secrets generated: {(generated.Count == 0 ? "none" : string.Join(", ", generated.Select(g => $"{g.Name} {g.Version}")))}");
        stage.WriteJson("env-upgrade.json", upgrade);
        stage.Write("app.env", folders.AppEnv(plan).File.ToString());
        stage.Evidence.AddRange(["env-upgrade.json", "app.env"]);
        return upgrade;
    }

    /// <summary>Adds to the env (in memory) the keys the tree's <c>.env.sample</c> has and it lacks, with the sample's lines; returns them.</summary>
    public IReadOnlyList<string> AddSampleKeys(AppEnv env)
    {
        var sample = EnvFile.Load(Path.Combine(folders.RecipePath, AppEnv.SampleFile));
        var present = env.File.Keys().ToHashSet(StringComparer.Ordinal);
        var added = sample.Keys().Where(k => !present.Contains(k)).ToList();
        foreach (var line in added.Select(sample.Line).OfType<string>()) env.File.Append(line);
        return added;
    }

    /// <summary>Checks the keys the compose files require, then generates the missing secrets (through abra) and verifies they exist.</summary>
    public async Task<IReadOnlyList<GeneratedSecret>> PrepareAsync(RunPlan plan, CancellationToken ct)
    {
        var env = folders.AppEnv(plan);
        RequireKeys(env, plan);
        var envPath = env.File.Path;
        var existing = await docker.NamesWithPrefixAsync("secret", plan.Stack.Of(""), ct);
        var missing = AppSecrets.Declared(envPath).Where(s => !existing.Contains(plan.Stack.Secret(s.Name, s.Version))).ToList();
        if (missing.FirstOrDefault(s => !s.Generate) is { } inserted)
            throw new StageFailure(StageStatus.Error,
                $"secret {inserted.Name} {inserted.Version} is marked '# generate=false': an operator inserts its value " +
                $"(abra app secret insert {plan.Domain} {inserted.Name} {inserted.Version} <value>), and Recipe CI has none to insert");
        if (missing.Count == 0) return [];
        await abra.SecretGenerateAllAsync(plan.Domain, ct);
        var now = await docker.NamesWithPrefixAsync("secret", plan.Stack.Of(""), ct);
        var absent = missing.Where(s => !now.Contains(plan.Stack.Secret(s.Name, s.Version))).Select(s => $"{s.Name} {s.Version}").ToList();
        if (absent.Count > 0)
            throw new StageFailure(StageStatus.Error, $"abra app secret generate --all did not create {string.Join(", ", absent)}");
        return [.. missing.Select(s => new GeneratedSecret(s.Name, s.Version))];
    }

    /// <summary>A key the compose files require that has no value is the catalogue's to give (the sample leaves it to the operator).</summary>
    public void RequireKeys(AppEnv env, RunPlan plan)
    {
        var values = env.Values(plan.Stack);
        var unset = env.ComposeFileNames().Select(f => Path.Combine(env.RecipePath, f)).Where(File.Exists)
            .SelectMany(f => File.ReadAllLines(f).Where(l => !l.TrimStart().StartsWith('#')).Select(l => (File: Path.GetFileName(f), Line: l)))
            .SelectMany(x => RequiredReference().Matches(x.Line).Select(m => (x.File, Key: m.Groups["key"].Value, Empty: m.Groups["colon"].Length > 0)))
            .Where(r => !entry.Env.ContainsKey(r.Key) && (!values.TryGetValue(r.Key, out var v) || (r.Empty && v.Length == 0)))
            .DistinctBy(r => r.Key).ToList();
        if (unset.Count > 0)
            throw new StageFailure(StageStatus.Error,
                $"{string.Join(", ", unset.Select(u => $"{u.Key} (required by {u.File})"))} has no value: .env.sample leaves it to the operator; " +
                $"set it in recipes.yaml under the recipe's env: ({string.Join(", ", unset.Select(u => u.Key + ": ..."))})");
    }
}
