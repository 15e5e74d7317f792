using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace RecipeCi.Tests.Support;

public sealed record HarnessResult(int ExitCode, string Output);

/// <summary>Runs the built harness as a real process, the way build.sh and Drone run it.</summary>
public static class Harness
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "RecipeCi.dll");

    public static async Task<HarnessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(8));
        var environment = new Dictionary<string, string?>
        {
            ["NO_COLOR"] = "1",
            // Keep a developer's or a pipeline's own Drone variables out of the runs under test.
            ["DRONE_PULL_REQUEST"] = null, ["DRONE_COMMIT_SHA"] = null, ["DRONE_REPO_NAME"] = null,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) environment[k] = v;
        var result = await Cli.Wrap("dotnet").WithArguments([Dll, .. args])
            .WithEnvironmentVariables(environment)
            .WithWorkingDirectory(workingDirectory ?? AppContext.BaseDirectory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cts.Token);
        return new HarnessResult(result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
