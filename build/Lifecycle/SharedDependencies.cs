using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// A dependency app a sweep installed once for all its recipes, as each recipe run is told of it:
/// names only, never a secret value (a provision hook reads values inside the container).
/// </summary>
/// <param name="Secrets">The dependency's generated secrets: each name to its swarm secret's name.</param>
/// <param name="Evidence">The dependency's own run folder, under the sweep's.</param>
/// <param name="Error">Why it did not install; null when it is up and healthy.</param>
public sealed record SharedApp(string Recipe, string Domain, string Stack, IReadOnlyDictionary<string, string> Secrets, string Evidence, string? Error = null);

/// <summary>
/// The handle a sweep gives each recipe process (<c>--shared-deps=&lt;file&gt;</c>): the sweep-scoped
/// dependencies it installed, which a recipe run provisions against instead of installing its own.
/// </summary>
public sealed record SharedDependencies(IReadOnlyList<SharedApp> Apps)
{
    public const string FileName = "shared-deps.json";

    public SharedApp? Find(string recipe) => Apps.FirstOrDefault(a => a.Recipe == recipe);

    public void Write(string path, ArtifactWriter writer) => writer.WriteJson(path, this);

    /// <summary>Reads a handle; one that is missing, unreadable or lacks a name is bad input naming the file and the key.</summary>
    public static SharedDependencies Load(string path)
    {
        const string fix = "Fix: pass the file a sweep wrote (<sweep folder>/" + FileName + "), or drop --shared-deps to install each dependency in the run";
        if (!File.Exists(path)) throw new BadInputException($"--shared-deps {path} does not exist. {fix}");
        SharedDependencies? read;
        try { read = JsonConvention.Read<SharedDependencies>(path); }
        catch (JsonException ex)
        {
            var line = ex is JsonReaderException r ? $":{r.LineNumber}" : ex is JsonSerializationException s ? $":{s.LineNumber}" : "";
            throw new BadInputException($"{path}{line}: not a shared dependencies handle ({ex.Message.Split('.')[0]}). {fix}");
        }
        catch (InvalidDataException) { read = null; }
        if (read?.Apps is null) throw new BadInputException($"{path}: apps is missing. {fix}");
        foreach (var (app, i) in read.Apps.Select((a, i) => (a, i)))
        {
            var missing = new[] { ("recipe", app.Recipe), ("domain", app.Domain), ("stack", app.Stack), ("evidence", app.Evidence) }
                .FirstOrDefault(k => string.IsNullOrWhiteSpace(k.Item2)).Item1;
            if (missing is not null && !(app.Error is not null && missing is "domain" or "stack"))
                throw new BadInputException($"{path}: apps[{i}].{missing} is missing. {fix}");
        }
        return read with { Apps = [.. read.Apps.Select(a => a with { Secrets = a.Secrets ?? new Dictionary<string, string>() })] };
    }
}
