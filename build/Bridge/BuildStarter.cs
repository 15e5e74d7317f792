using RecipeCi.Forge;
using RecipeCi.Publishing;
using RecipeCi.Recipes;

namespace RecipeCi.Bridge;

/// <summary>A started build: its name for the status, and its page when it has one.</summary>
public sealed record StartedBuild(string Name, string? Link);

/// <summary>Starts the run a trigger asks for, on the trigger's head commit.</summary>
public interface IBuildStarter
{
    Task<StartedBuild> StartAsync(PendingTrigger trigger, CancellationToken ct);
}

/// <summary>The build parameters <c>.drone.yml</c>'s recipe-ci pipeline reads: RECIPE, PR, REF (the head at trigger time), STAGES.</summary>
public static class BuildParameters
{
    public static IReadOnlyDictionary<string, string> Of(PendingTrigger t) => new Dictionary<string, string>
    {
        ["RECIPE"] = t.Recipe,
        ["PR"] = t.Pr.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["REF"] = t.HeadSha ?? throw new InvalidOperationException($"{t} has no head commit yet"),
        ["STAGES"] = TriggerParser.Stages(t.Mode),
    };
}

/// <summary>Starts Drone's recipe-ci pipeline as a custom build of Recipe CI's own repository.</summary>
public sealed class DroneStarter(DroneClient drone, Uri server, ForgeRepository repository) : IBuildStarter
{
    public async Task<StartedBuild> StartAsync(PendingTrigger trigger, CancellationToken ct)
    {
        var build = await drone.CreateBuildAsync(repository, BuildParameters.Of(trigger), null, ct)
            ?? throw new ForgeException($"Drone started no build: no pipeline of {repository} runs on the custom event " +
                                        "(.drone.yml's recipe-ci pipeline needs trigger: event: [custom])", null, transient: false);
        return new StartedBuild($"Drone build #{build.Number}", DroneClient.BuildPage(server, repository, build.Number));
    }
}
