using System.Text;
using CliWrap;
using CliWrap.Buffered;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A Drone exec runner for the fake Drone: runs the steps of one pipeline of the repository's own
/// <c>.drone.yml</c> on this machine, in order, each step's commands as one shell script that stops
/// at the first failure, with the build's parameters, Drone's variables and the step's
/// <c>environment</c> (secrets from <see cref="Secrets"/>) as its environment, and a step's
/// <c>when: status</c> deciding whether it runs after a failure. Two things differ from a real
/// runner, on purpose: <c>./build.sh</c> is the harness under test, and the pipeline's host folders
/// (<see cref="HostPaths"/>) are mapped into the test's workspace.
/// </summary>
public sealed class DronePipeline
{
    private readonly List<(string Name, List<string> Commands, Dictionary<string, string> Environment, List<string>? When)> _steps = [];

    public required string WorkingDirectory { get; init; }
    public Dictionary<string, string> Secrets { get; init; } = [];
    public Dictionary<string, string> HostPaths { get; init; } = [];
    public string DroneUrl { get; init; } = "";
    /// <summary>Every step's output, for assertion messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }
    private readonly StringBuilder _output = new();

    public DronePipeline(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoRoot.Path, ".drone.yml"))));
        var pipeline = stream.Documents.Select(d => (YamlMappingNode)d.RootNode)
            .Single(p => ((YamlScalarNode)p.Children[new YamlScalarNode("name")]).Value == name);
        foreach (var step in ((YamlSequenceNode)pipeline.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>())
        {
            string Scalar(YamlNode n) => ((YamlScalarNode)n).Value ?? "";
            var environment = step.Children.TryGetValue(new YamlScalarNode("environment"), out var env)
                ? ((YamlMappingNode)env).Children.ToDictionary(e => Scalar(e.Key), e => e.Value is YamlMappingNode secret
                    ? "secret:" + Scalar(secret.Children[new YamlScalarNode("from_secret")]) : Scalar(e.Value))
                : [];
            var when = step.Children.TryGetValue(new YamlScalarNode("when"), out var w)
                ? ((YamlSequenceNode)((YamlMappingNode)w).Children[new YamlScalarNode("status")]).Children.Select(Scalar).ToList()
                : null;
            _steps.Add((Scalar(step.Children[new YamlScalarNode("name")]),
                ((YamlSequenceNode)step.Children[new YamlScalarNode("commands")]).Children.Select(Scalar).ToList(), environment, when));
        }
    }

    /// <summary>Runs the build's steps; true when every step that ran succeeded.</summary>
    public async Task<bool> RunAsync(FakeBuild build)
    {
        var status = "success";
        foreach (var (name, commands, environment, when) in _steps)
        {
            if (!(when ?? ["success"]).Contains(status)) continue;
            var env = new Dictionary<string, string?>
            {
                ["NO_COLOR"] = "1", ["DRONE_PULL_REQUEST"] = null, ["DRONE_REPO_NAME"] = null,
                ["DRONE_BUILD_EVENT"] = "custom", ["DRONE_BUILD_NUMBER"] = build.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DRONE_COMMIT_SHA"] = build.Commit, ["DRONE_BUILD_LINK"] = $"{DroneUrl}/{build.Number}",
            };
            foreach (var (k, v) in build.Params) env[k] = v;
            foreach (var (k, v) in environment) env[k] = v.StartsWith("secret:", StringComparison.Ordinal) ? Secrets.GetValueOrDefault(v["secret:".Length..]) : v;
            var script = "set -e\n" + string.Join("\n", commands.Select(Map));
            var result = await Cli.Wrap("bash").WithArguments(["-c", script]).WithWorkingDirectory(WorkingDirectory)
                .WithEnvironmentVariables(env).WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8);
            lock (_output) _output.AppendLine($"--- step {name} of build {build.Number}: exit {result.ExitCode}\n{result.StandardOutput}{result.StandardError}");
            if (result.ExitCode != 0) status = "failure";
        }
        return status == "success";
    }

    private string Map(string command)
    {
        command = command.Replace("./build.sh", $"dotnet '{Harness.Dll}'", StringComparison.Ordinal);
        foreach (var (host, local) in HostPaths) command = command.Replace(host, local, StringComparison.Ordinal);
        return command;
    }
}
