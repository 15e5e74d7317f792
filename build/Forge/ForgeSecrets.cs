using RecipeCi.Processes;
using RecipeCi.Verdicts;

namespace RecipeCi.Forge;

/// <summary>
/// A token or shared secret, read from the environment: <c>NAME</c> itself, or the file
/// <c>NAME_FILE</c> names (a systemd credential, a Drone secret mounted as a file). Never from a
/// command-line option, which every user of the machine can read. The value is registered with
/// the process's <see cref="Redactor"/> as soon as it is read, so no log line can carry it.
/// </summary>
public sealed class ForgeSecrets(Func<string, string?> env, Redactor redactor)
{
    public string? Read(string name)
    {
        var value = env(name) is { Length: > 0 } direct ? direct
            : env(name + "_FILE") is { Length: > 0 } file ? ReadFile(name, file)
            : null;
        value = value?.Trim();
        if (value is { Length: > 0 }) redactor.Register(value);
        return value is { Length: > 0 } ? value : null;
    }

    public string Require(string name, string purpose) =>
        Read(name)
        ?? throw new BadInputException($"{purpose} needs {name} (or {name}_FILE naming a file that holds it) in the environment. Fix: export {name}_FILE=/path/to/file");

    private static string ReadFile(string name, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{name}_FILE={path} cannot be read ({ex.GetType().Name}). Fix: point it at a file this user can read");
        }
    }
}
