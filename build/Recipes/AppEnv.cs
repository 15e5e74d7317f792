using RecipeCi.Naming;
using RecipeCi.Swarm;

namespace RecipeCi.Recipes;

/// <summary>
/// An app's env as a deploy reads it: the app's env file over the recipe's <c>abra.sh</c> exports,
/// plus <c>STACK_NAME</c>, and the compose files its <c>COMPOSE_FILE</c> names (default
/// <c>compose.yml</c>) in the recipe tree at its current checkout. The one loader of an app's env:
/// the local driver deploys with it and the stages judge with it, so they cannot disagree.
/// </summary>
public sealed class AppEnv
{
    public const string DefaultComposeFile = "compose.yml";
    public const string AbraScript = "abra.sh";
    public const string SampleFile = ".env.sample";

    public EnvFile File { get; }
    public string RecipePath { get; }

    private AppEnv(EnvFile file, string recipePath) => (File, RecipePath) = (file, recipePath);

    public static AppEnv Load(string envPath, string recipePath) => new(EnvFile.Load(envPath), recipePath);

    /// <summary>The env a fresh app of the recipe gets: its <c>.env.sample</c> at the tree's checkout.</summary>
    public static AppEnv FromSample(string recipePath) =>
        new(EnvFile.FromText(Path.Combine(recipePath, SampleFile), System.IO.File.ReadAllText(Path.Combine(recipePath, SampleFile))), recipePath);

    /// <summary>The names in <c>COMPOSE_FILE</c>, relative to the recipe tree.</summary>
    public IReadOnlyList<string> ComposeFileNames() => ComposeFileNames(File.Values());

    public static IReadOnlyList<string> ComposeFileNames(IReadOnlyDictionary<string, string> values) =>
        (values.GetValueOrDefault("COMPOSE_FILE") is { Length: > 0 } cf ? cf : DefaultComposeFile)
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Appends a compose file to <c>COMPOSE_FILE</c> (an overlay), in the env file on disk.</summary>
    public void AppendComposeFile(string name)
    {
        File.Set("COMPOSE_FILE", string.Join(':', [.. ComposeFileNames(), name]));
        File.Save();
    }

    /// <summary>Drops a compose file from <c>COMPOSE_FILE</c> (the base-only overlay, before the head deploy), in the env file on disk.</summary>
    public void RemoveComposeFile(string name)
    {
        File.Set("COMPOSE_FILE", string.Join(':', ComposeFileNames().Where(f => f != name)));
        File.Save();
    }

    /// <summary>
    /// The harness's own variables the docker CLI needs to reach its engine. The docker CLI
    /// interpolates a compose file with its whole process environment (observed: a variable set
    /// only in the CLI's environment fills <c>${VAR}</c>), so a deploy passes these and the app's
    /// values, nothing else: a recipe's <c>${HOME}</c> or <c>${DRONE_TOKEN}</c> can then only mean
    /// what the vetting saw. They always come from the harness, never from a recipe's env.
    /// </summary>
    public static readonly string[] EngineVariables =
        ["PATH", "HOME", "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "SSH_AUTH_SOCK"];

    /// <summary>What compose interpolation sees: abra.sh exports, then the env file's values, then STACK_NAME and the engine variables.</summary>
    public Dictionary<string, string> Values(StackName stack)
    {
        var script = Path.Combine(RecipePath, AbraScript);
        var values = System.IO.File.Exists(script) ? EnvFile.Load(script).Values() : [];
        foreach (var (k, v) in File.Values()) values[k] = v;
        values["STACK_NAME"] = stack.Value;
        foreach (var name in EngineVariables) values.Remove(name);
        foreach (var (k, v) in OwnEngineValues()) values[k] = v;
        return values;
    }

    /// <summary>The <see cref="EngineVariables"/> the harness has, with its values.</summary>
    public static Dictionary<string, string> OwnEngineValues() =>
        EngineVariables.Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(v => v.value is not null).ToDictionary(v => v.name, v => v.value!);

    /// <summary>The whole environment of a deploy's docker CLI: <paramref name="values"/>, and every other inherited variable removed.</summary>
    public static Dictionary<string, string?> DeployEnvironment(IReadOnlyDictionary<string, string> values)
    {
        var env = Environment.GetEnvironmentVariables().Keys.Cast<string>().ToDictionary(k => k, _ => (string?)null);
        foreach (var (k, v) in values) env[k] = v;
        return env;
    }

    /// <summary>The project a deploy of the app makes at the tree's current checkout (a COMPOSE_FILE entry the tree lacks is an error naming it).</summary>
    public RecipeProject Project(StackName stack) => RecipeProject.Load(RecipePath, ComposeFileNames(), Values(stack));
}
