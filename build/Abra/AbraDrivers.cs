using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Abra;

/// <summary>Which abra a run uses: the real one on PATH when there is one (auto), or as asked.</summary>
public enum AbraMode { Auto, Cli, Local }

/// <summary>The abras a run can use, each given the run's docker client, runner, watcher and clock.</summary>
public sealed class AbraDrivers(DockerCli docker, CommandRunner runner, ConvergenceWatcher watcher, TimeProvider time, Action<string> say)
{
    /// <summary>The real abra, when there is one: on this process's PATH unless given.</summary>
    public string? OnPath { get; init; } = FindOnPath("abra");

    /// <summary>The abra of a run or of a dead run the janitor reaps; <c>cli</c> without abra on PATH is bad input.</summary>
    public IAbra Choose(AbraMode mode, AbraDir dir)
    {
        var onPath = OnPath;
        switch (mode)
        {
            case AbraMode.Cli when onPath is null:
                throw new BadInputException("--abra=cli, but there is no abra on PATH");
            case AbraMode.Cli:
                return new AbraCli(dir, runner, onPath);
            case AbraMode.Local:
                return new LocalAbraDriver(dir, docker, runner, time, watcher);
            default:
                say(onPath is null
                    ? "abra: not on PATH, using the local abra-compatible driver (--abra=auto)"
                    : $"abra: using {onPath} (--abra=auto)");
                return onPath is null ? new LocalAbraDriver(dir, docker, runner, time, watcher) : new AbraCli(dir, runner, onPath);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
