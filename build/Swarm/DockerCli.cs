using System.Runtime.CompilerServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RecipeCi.Processes;

namespace RecipeCi.Swarm;

/// <summary>
/// The docker CLI, typed: the one place that writes docker's command lines. Works against any
/// docker context (ssh ones included), which is what abra servers are. Read-only queries go
/// through <paramref name="queries"/>, which is not journaled: a convergence wait issues hundreds
/// of them. The two a convergence judge repeats on every event go to the engine's socket when the
/// CLI's context is a local one.
/// </summary>
public sealed class DockerCli(CommandRunner runner, CommandRunner? queries = null)
{
    public const string StackLabel = "com.docker.stack.namespace";
    private readonly CommandRunner _queries = queries ?? new CommandRunner();
    private readonly Lazy<Task<EngineSocket?>> _engine = new(() => EngineOfContextAsync(new CommandRunner()));

    /// <summary>The engine's socket when the CLI's current context is a local unix socket.</summary>
    private static async Task<EngineSocket?> EngineOfContextAsync(CommandRunner runner)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host))
        {
            var r = await runner.RunAsync(new Command("docker", "context", "inspect", "--format", "{{.Endpoints.docker.Host}}")
                { Check = false, Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
            host = r.Succeeded ? r.Stdout.Trim() : "";
        }
        return EngineSocket.ForHost(host);
    }

    /// <summary>Asks the local engine directly, or gives null (no local socket, or the request failed) so the CLI answers.</summary>
    private async Task<List<JObject>?> FromEngineAsync(string kind, Dictionary<string, string[]> filters, CancellationToken ct)
    {
        if (await _engine.Value is not { } engine) return null;
        try { return await engine.ListAsync(kind, filters, ct); }
        catch (HttpRequestException) { return null; }   // e.g. a service removed meanwhile: the CLI says it plainly
    }

    /// <summary>The journaled runner behind the typed commands.</summary>
    public CommandRunner Runner => runner;

    private Task<CommandResult> RunAsync(IEnumerable<string> args, CancellationToken ct, bool check = true,
        IReadOnlyDictionary<string, string?>? env = null, string? stdin = null, string? cwd = null, TimeSpan? timeout = null, bool revealsSecret = false) =>
        runner.RunAsync(new Command("docker", [.. args])
        {
            Check = check, Environment = env ?? new Dictionary<string, string?>(), StandardInput = stdin,
            WorkingDirectory = cwd, Timeout = timeout ?? TimeSpan.FromMinutes(10), RevealsSecret = revealsSecret,
        }, ct);

    private async Task<string> QueryAsync(CancellationToken ct, params string[] args) =>
        (await _queries.RunAsync(new Command("docker", args) { Timeout = TimeSpan.FromSeconds(60) }, ct)).Stdout;

    private async Task<List<string>> IdsAsync(CancellationToken ct, params string[] args) =>
        (await QueryAsync(ct, args)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public async Task<List<JObject>> InspectAsync(IReadOnlyCollection<string> ids, CancellationToken ct, string? type = null)
    {
        if (ids.Count == 0) return [];
        var args = new List<string> { "inspect" };
        if (type is not null) args.AddRange(["--type", type]);
        args.AddRange(ids);
        var result = await _queries.RunAsync(new Command("docker", args) { Check = false, Timeout = TimeSpan.FromSeconds(60) }, ct);
        // A resource can vanish between listing and inspecting; docker then still prints the rest.
        if (string.IsNullOrWhiteSpace(result.Stdout)) return [];
        return JArray.Parse(result.Stdout).Cast<JObject>().ToList();
    }

    public async Task<List<ServiceInfo>> StackServicesAsync(string stack, CancellationToken ct)
    {
        var ids = await IdsAsync(ct, "service", "ls", "-q", "--filter", $"label={StackLabel}={stack}");
        return (await InspectAsync(ids, ct, "service")).Select(ToService).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<ServiceInfo?> ServiceAsync(string name, CancellationToken ct) =>
        (await InspectAsync([name], ct, "service")).Select(ToService).FirstOrDefault(s => s.Name == name);

    /// <summary>The named services that exist, in one call (a convergence check runs this on every event).</summary>
    public async Task<List<ServiceInfo>> ServicesAsync(IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0) return [];
        var raw = await FromEngineAsync("services", new() { ["name"] = [.. names] }, ct) ?? await InspectAsync(names, ct, "service");
        // The engine's name filter matches prefixes.
        return raw.Select(ToService).Where(s => names.Contains(s.Name)).ToList();
    }

    /// <summary>Tasks of a service; with <paramref name="upToDate"/> only those on its current spec.</summary>
    public Task<List<TaskInfo>> TasksAsync(string service, bool upToDate, CancellationToken ct) =>
        TasksAsync([service], upToDate, ct);

    /// <summary>Tasks of several existing services in one call; with <paramref name="upToDate"/> only those on their current spec.</summary>
    public async Task<List<TaskInfo>> TasksAsync(IReadOnlyCollection<string> services, bool upToDate, CancellationToken ct)
    {
        if (services.Count == 0) return [];
        var filters = new Dictionary<string, string[]> { ["service"] = [.. services] };
        if (upToDate) filters["_up-to-date"] = ["true"];
        if (await FromEngineAsync("tasks", filters, ct) is { } fromEngine) return fromEngine.Select(ToTask).ToList();
        var args = new List<string> { "service", "ps", "-q", "--no-trunc" };
        // `_up-to-date` is the filter the docker CLI itself uses to see only tasks on the current
        // spec; without it the old, still-running tasks of an update look converged.
        if (upToDate) args.AddRange(["--filter", "_up-to-date=true"]);
        args.AddRange(services);
        var res = await _queries.RunAsync(new Command("docker", args) { Check = false, Timeout = TimeSpan.FromSeconds(60) }, ct);
        if (!res.Succeeded) return [];
        var ids = res.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        return (await InspectAsync(ids, ct)).Select(ToTask).ToList();
    }

    /// <summary>A container of a running task on the service's current spec, or null when none runs yet.</summary>
    public async Task<string?> RunningContainerAsync(string service, CancellationToken ct) =>
        (await TasksAsync(service, upToDate: true, ct))
            .Where(t => t is { DesiredState.Kind: TaskState.Running, Status.State.Kind: TaskState.Running })
            .Select(t => t.Status.ContainerStatus?.ContainerID).FirstOrDefault(id => id is not null);

    /// <summary><c>sh -c</c> inside a container; the result is returned whatever the exit code.</summary>
    public Task<CommandResult> ExecAsync(string container, string script, CancellationToken ct, TimeSpan? timeout = null) =>
        ExecAsync(container, ["sh", "-c", script], ct, timeout);

    /// <summary>A program inside a container, with its arguments; the result is returned whatever the exit code.</summary>
    /// <param name="revealsSecret">Its output is a secret the caller needs unredacted (<see cref="Command.RevealsSecret"/>).</param>
    public Task<CommandResult> ExecAsync(string container, IReadOnlyList<string> argv, CancellationToken ct, TimeSpan? timeout = null, bool revealsSecret = false) =>
        RunAsync(["exec", container, .. argv], ct, check: false, timeout: timeout ?? TimeSpan.FromMinutes(5), revealsSecret: revealsSecret);

    /// <summary>A container started in the background on a network, removed by docker when its program ends; the result whatever the exit code.</summary>
    public Task<CommandResult> ContainerRunDetachedAsync(string name, string label, string network, string image, IReadOnlyList<string> argv, CancellationToken ct) =>
        RunAsync(["run", "-d", "--rm", "--name", name, "--label", label, "--network", network, image, .. argv], ct, check: false, timeout: TimeSpan.FromSeconds(60));

    /// <summary>A container's id and its main process's pid on the engine's host, or null when there is no such container.</summary>
    public async Task<(string Id, int Pid)?> ContainerProcessAsync(string container, CancellationToken ct) =>
        (await InspectAsync([container], ct, "container")).Select(c => ((string Id, int Pid)?)((string?)c["Id"] ?? "", (int?)c["State"]?["Pid"] ?? 0))
            .FirstOrDefault(p => p is { Pid: > 0 });

    /// <summary>Copies a file of this host into a container (<c>docker cp</c>); the result is returned whatever the exit code.</summary>
    public Task<CommandResult> CopyIntoContainerAsync(string hostPath, string container, string containerPath, CancellationToken ct) =>
        RunAsync(["cp", hostPath, $"{container}:{containerPath}"], ct, check: false, timeout: TimeSpan.FromSeconds(60));

    /// <summary>
    /// Swarm's events of the given types (<c>service</c>, <c>container</c>, ...) as they happen, until
    /// cancelled; journaled as one command once it stopped. A line that is not an event is skipped.
    /// </summary>
    public async IAsyncEnumerable<DockerEvent> EventsAsync(IReadOnlyList<string> types, [EnumeratorCancellation] CancellationToken ct)
    {
        var command = new Command("docker", ["events", "--format", "{{json .}}", .. types.SelectMany(t => new[] { "--filter", $"type={t}" })])
            { Check = false, Timeout = Timeout.InfiniteTimeSpan };
        await foreach (var line in runner.StreamAsync(command, ct))
            if (EventOf(line) is { } e) yield return e;
    }

    private static DockerEvent? EventOf(string line)
    {
        try { return JsonConvert.DeserializeObject<DockerEvent>(line); }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// <c>docker stack deploy</c> of compose files, with no registry to resolve images from;
    /// <paramref name="detach"/> null leaves the CLI's own default.
    /// </summary>
    public Task<CommandResult> StackDeployAsync(string stack, IEnumerable<string> composeFiles, CancellationToken ct, bool? detach = null,
        IReadOnlyDictionary<string, string?>? env = null, string? cwd = null, bool check = true) =>
        RunAsync(["stack", "deploy", "--resolve-image", "never", .. detach is { } d ? [$"--detach={(d ? "true" : "false")}"] : Array.Empty<string>(),
            .. composeFiles.SelectMany(f => new[] { "--compose-file", f }), stack], ct, check, env, cwd: cwd);

    public Task<CommandResult> StackRemoveAsync(string stack, CancellationToken ct, bool check = true) =>
        RunAsync(["stack", "rm", stack], ct, check);

    /// <summary>Sets one environment variable of one service (<c>docker service update --env-add</c>): the stack's other services are not touched.</summary>
    public Task<CommandResult> ServiceSetEnvAsync(string service, string variable, string value, bool detach, CancellationToken ct, bool check = true) =>
        RunAsync(["service", "update", $"--detach={(detach ? "true" : "false")}", "--env-add", $"{variable}={value}", service], ct, check);

    /// <summary>Creates a secret of the stack; its value travels on standard input, never on a command line.</summary>
    public Task<CommandResult> SecretCreateAsync(string stack, string name, string value, CancellationToken ct) =>
        RunAsync(["secret", "create", "--label", $"{StackLabel}={stack}", name, "-"], ct, stdin: value);

    /// <summary>
    /// Removes objects of a kind (<c>service</c>, <c>container</c>, <c>network</c>, <c>volume</c>,
    /// <c>secret</c>, <c>config</c>) in one command; containers and volumes by force. docker echoes
    /// each one it removed and complains about the others.
    /// </summary>
    public Task<CommandResult> RemoveAsync(string kind, IReadOnlyCollection<string> items, CancellationToken ct, bool check = true) =>
        RunAsync(kind switch
        {
            "container" => ["rm", "--force", .. items],
            "volume" => ["volume", "rm", "--force", .. items],
            "service" or "network" or "secret" or "config" => [kind, "rm", .. items],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown docker resource kind"),
        }, ct, check);

    public Task<List<string>> ResourceIdsAsync(string kind, string stack, CancellationToken ct) =>
        kind switch
        {
            "service" or "network" or "secret" or "config" => IdsAsync(ct, kind, "ls", "-q", "--filter", $"label={StackLabel}={stack}"),
            "volume" => IdsAsync(ct, "volume", "ls", "-q", "--filter", $"label={StackLabel}={stack}"),
            "container" => IdsAsync(ct, "ps", "-aq", "--filter", $"label={StackLabel}={stack}"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown docker resource kind"),
        };

    /// <summary>Names of resources of a kind whose name starts with the stack prefix.</summary>
    /// <summary>The names of the containers, running or not, that carry a label (<c>key=value</c>).</summary>
    public Task<List<string>> ContainerNamesLabelledAsync(string label, CancellationToken ct) =>
        IdsAsync(ct, "ps", "--all", "--filter", $"label={label}", "--format", "{{.Names}}");

    public Task<List<string>> NamesWithPrefixAsync(string kind, string prefix, CancellationToken ct) =>
        kind switch
        {
            "volume" => FilterPrefix(IdsAsync(ct, "volume", "ls", "--format", "{{.Name}}"), prefix),
            "secret" or "config" or "network" or "service" => FilterPrefix(IdsAsync(ct, kind, "ls", "--format", "{{.Name}}"), prefix),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown docker resource kind"),
        };

    private static async Task<List<string>> FilterPrefix(Task<List<string>> names, string prefix) =>
        (await names).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>The state of a task's container (exit code, OOM kill, health log), when it is on this node and still kept.</summary>
    public async Task<ContainerState?> ContainerStateAsync(string containerId, CancellationToken ct)
    {
        if (await _engine.Value is { } engine)
            try { return (await engine.GetAsync($"containers/{Uri.EscapeDataString(containerId)}/json", ct))?["State"]?.ToObject<ContainerState>(); }
            catch (HttpRequestException) { }   // the CLI below says what went wrong
        return (await InspectAsync([containerId], ct, "container")).Select(c => c["State"]?.ToObject<ContainerState>()).FirstOrDefault();
    }

    /// <summary>A service's logs since a time, with timestamps; whatever docker printed, its complaints included.</summary>
    public async Task<string> ServiceLogsAsync(string service, DateTimeOffset since, CancellationToken ct) =>
        (await RunAsync(["service", "logs", "--no-trunc", "--timestamps", "--since", since.ToString("O"), service], ct,
            check: false, timeout: TimeSpan.FromSeconds(30))).Output;

    private static readonly string[] DataRootQuery = ["info", "--format", "{{.DockerRootDir}}"];

    /// <summary>Where the engine keeps its images, containers and volumes (<c>DockerRootDir</c>).</summary>
    public async Task<string> DataRootAsync(CancellationToken ct) => (await RunAsync(DataRootQuery, ct)).Stdout.Trim();

    /// <summary>The engine's version, as <c>docker version</c> gives the server's.</summary>
    public async Task<string> ServerVersionAsync(CancellationToken ct) =>
        (await RunAsync(["version", "--format", "{{.Server.Version}}"], ct)).Stdout.Trim();

    /// <summary>Whether the engine answers the CLI at all.</summary>
    public async Task<bool> EngineAnswersAsync(CancellationToken ct) =>
        (await RunAsync(["info"], ct, check: false, timeout: TimeSpan.FromSeconds(60))).Succeeded;

    /// <summary>Whether this engine is a swarm node (<c>LocalNodeState</c> active).</summary>
    public async Task<bool> SwarmActiveAsync(CancellationToken ct) =>
        (await RunAsync(["info", "--format", "{{.Swarm.LocalNodeState}}"], ct)).Stdout.Trim() == "active";

    public Task<CommandResult> SwarmInitAsync(string advertiseAddress, CancellationToken ct) =>
        RunAsync(["swarm", "init", "--advertise-addr", advertiseAddress], ct);

    public async Task<bool> NetworkExistsAsync(string name, CancellationToken ct) =>
        (await RunAsync(["network", "inspect", name], ct, check: false)).Succeeded;

    /// <summary>An overlay network standalone containers may join too; the result is returned whatever the exit code.</summary>
    public Task<CommandResult> AttachableOverlayCreateAsync(string name, CancellationToken ct) =>
        RunAsync(["network", "create", "--driver", "overlay", "--attachable", name], ct, check: false);

    public async Task<bool> ImageExistsAsync(string image, CancellationToken ct) =>
        (await RunAsync(["image", "inspect", image], ct, check: false)).Succeeded;

    /// <summary>Pulls an image into the engine's store; the result is returned whatever the exit code.</summary>
    public Task<CommandResult> ImagePullAsync(string image, CancellationToken ct) =>
        RunAsync(["pull", "--quiet", image], ct, check: false, timeout: TimeSpan.FromMinutes(20));

    /// <summary>Imports a folder as an image's root file system, with Dockerfile instructions (<paramref name="changes"/>) applied.</summary>
    public Task<CommandResult> ImageImportAsync(string rootFolder, string image, IEnumerable<string> changes, CancellationToken ct) =>
        PipelineAsync($"tar -C {Quote(rootFolder)} -c . | docker import {string.Concat(changes.Select(c => $"-c {Quote(c)} "))}- {Quote(image)}", ct);

    /// <summary>Copies a volume (whole, or only <paramref name="paths"/> in it) into a folder of this host, through a helper container of <paramref name="image"/>.</summary>
    public Task<CommandResult> VolumeToFolderAsync(string volume, IReadOnlyList<string>? paths, string folder, string image, CancellationToken ct) =>
        PipelineAsync($"docker run --rm --network none -v {Quote(volume + ":/v:ro")} {Quote(image)} tar -C /v -cf - "
            + $"{(paths is null ? "." : string.Join(' ', paths.Select(Quote)))} | tar -C {Quote(folder)} -xf -", ct);

    /// <summary>Empties a volume (or removes only <paramref name="paths"/> in it) through a helper container of <paramref name="image"/>.</summary>
    public Task<CommandResult> VolumeClearAsync(string volume, IReadOnlyList<string>? paths, string image, CancellationToken ct) =>
        RunAsync(["run", "--rm", "--network", "none", "-v", $"{volume}:/v", image, "sh", "-c",
            paths is null ? "find /v -mindepth 1 -maxdepth 1 -exec rm -rf {} +" : string.Join("; ", paths.Select(p => $"rm -rf /v/{Quote(p)}"))],
            ct, timeout: TimeSpan.FromMinutes(30));

    /// <summary>Copies a folder of this host into a volume, through a helper container of <paramref name="image"/>.</summary>
    public Task<CommandResult> FolderToVolumeAsync(string folder, string volume, string image, CancellationToken ct) =>
        PipelineAsync($"tar -C {Quote(folder)} -cf - . | docker run -i --rm --network none -v {Quote(volume + ":/v")} {Quote(image)} tar -C /v -xf -", ct);

    /// <summary>A pipe between docker and tar on this host, which only a shell makes; fails when any part of it does.</summary>
    private Task<CommandResult> PipelineAsync(string script, CancellationToken ct) =>
        runner.RunAsync(new Command("bash", "-o", "pipefail", "-c", script) { Timeout = TimeSpan.FromMinutes(30) }, ct);

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    public async Task<string> HostMemoryAsync(CancellationToken ct)
    {
        try { return await File.ReadAllTextAsync("/proc/meminfo", ct); }
        catch (IOException ex) { return "meminfo unavailable: " + ex.Message; }
    }

    /// <summary>Free and total space of the root file system and of docker's data root.</summary>
    public async Task<string> HostDiskAsync(CancellationToken ct)
    {
        var root = (await _queries.RunAsync(new Command("docker", DataRootQuery) { Check = false, Timeout = TimeSpan.FromSeconds(30) }, ct))
            .Stdout.Trim();
        var lines = new[] { "/", root }.Where(p => p.Length > 0 && Directory.Exists(p)).Distinct().Select(p =>
        {
            var d = new DriveInfo(p);
            return $"{p}: {d.AvailableFreeSpace / 1048576} MiB free of {d.TotalSize / 1048576} MiB (mount {d.RootDirectory.FullName})";
        });
        return string.Join("\n", lines) + "\n";
    }

    internal static ServiceInfo ToService(JObject raw)
    {
        var s = raw.ToObject<ServiceInfo>(JsonSerializer.CreateDefault(new JsonSerializerSettings { DateParseHandling = DateParseHandling.DateTimeOffset }))!;
        s.Raw = raw;
        return s;
    }

    internal static TaskInfo ToTask(JObject raw)
    {
        var t = raw.ToObject<TaskInfo>()!;
        t.Raw = raw;
        return t;
    }
}
