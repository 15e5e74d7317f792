using System.Text.RegularExpressions;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Bridge;

/// <summary>Who runs a triggered build: Drone's recipe-ci pipeline, or the bridge itself on this machine.</summary>
public enum BridgeRunner
{
    Drone,
    Local,
}

/// <summary>
/// The options of the Bridge target and of <c>Publish --post</c>, typed and checked once. The forge's
/// and Drone's addresses fall back to environment variables, so a service unit and a pipeline step
/// can set them once; tokens and the webhook secret come only from the environment (see ForgeSecrets).
/// </summary>
public sealed partial record BridgeOptions
{
    public const string ForgeTokenVariable = "RECIPE_CI_FORGE_TOKEN";
    public const string DroneTokenVariable = "RECIPE_CI_DRONE_TOKEN";
    public const string WebhookSecretVariable = "RECIPE_CI_WEBHOOK_SECRET";

    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>
    {
        ["forge-url"] = "Bridge, Publish --post: the forge (Gitea) the recipes' PRs are on, e.g. https://git.example.org (fallback: RECIPE_CI_FORGE_URL)",
        ["bot"] = "Bridge, Publish --post: the bot account's login on the forge; its own comments never trigger (fallback: RECIPE_CI_BOT)",
        ["drone-url"] = "Bridge: Drone's address, e.g. https://drone.example.org (fallback: RECIPE_CI_DRONE_URL)",
        ["drone-repo"] = "Bridge: Recipe CI's own repository on Drone, owner/name, whose recipe-ci pipeline runs a trigger (fallback: RECIPE_CI_DRONE_REPO)",
        ["poll"] = "Bridge: seconds between two polls of the forge (default: 30)",
        ["listen"] = "Bridge: host:port of the optional webhook endpoint (POST /hook), e.g. 127.0.0.1:8099 (default: none, polling only)",
        ["runner"] = "Bridge: drone | local: start Drone's recipe-ci build, or run it on this machine, one at a time per app domain (default: drone)",
        ["allowlist"] = "Bridge: logins that may trigger beyond organisation members and writers, comma-separated (fallback: RECIPE_CI_ALLOWLIST)",
        ["post"] = "Publish: also post the comment and the final commit status to the PR on the forge (default: false)",
    };

    public Uri? ForgeUrl { get; init; }
    public string? Bot { get; init; }
    public Uri? DroneUrl { get; init; }
    public ForgeRepository? DroneRepo { get; init; }
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(30);
    public string? Listen { get; init; }
    public BridgeRunner Runner { get; init; } = BridgeRunner.Drone;
    public IReadOnlySet<string> Allowlist { get; init; } = new HashSet<string>();
    public bool Post { get; init; }

    [GeneratedRegex("^[A-Za-z0-9.-]+:[0-9]{1,5}$")]
    private static partial Regex HostPort();

    /// <param name="get">An option's value (trimmed, null when not given).</param>
    public static BridgeOptions Parse(Func<string, string?> get, Func<string, string?> env)
    {
        string? Get(string name, string variable) => get(name) ?? (env(variable) is { Length: > 0 } v ? v.Trim() : null);
        var poll = get("poll");
        var listen = get("listen");
        if (listen is not null && !HostPort().IsMatch(listen))
            throw new BadInputException($"--listen must be host:port, e.g. 127.0.0.1:8099, not '{listen}'");
        var droneRepo = Get("drone-repo", "RECIPE_CI_DRONE_REPO");
        return new BridgeOptions
        {
            ForgeUrl = Url(Get("forge-url", "RECIPE_CI_FORGE_URL"), "forge-url"),
            Bot = Get("bot", "RECIPE_CI_BOT"),
            DroneUrl = Url(Get("drone-url", "RECIPE_CI_DRONE_URL"), "drone-url"),
            DroneRepo = droneRepo is null ? null
                : ForgeRepository.TryParse(droneRepo) ?? throw new BadInputException($"--drone-repo must be owner/name, not '{droneRepo}'"),
            Poll = poll is null ? TimeSpan.FromSeconds(30)
                : int.TryParse(poll, out var s) && s is >= 1 and <= 3600 ? TimeSpan.FromSeconds(s)
                : throw new BadInputException($"--poll must be a whole number of seconds from 1 to 3600, not '{poll}'"),
            Listen = listen,
            Runner = get("runner") switch
            {
                null or "drone" => BridgeRunner.Drone,
                "local" => BridgeRunner.Local,
                var other => throw new BadInputException($"--runner must be drone or local, not '{other}'"),
            },
            Allowlist = (Get("allowlist", "RECIPE_CI_ALLOWLIST") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .ToHashSet(StringComparer.OrdinalIgnoreCase),
            Post = get("post") switch
            {
                null or "false" or "0" or "no" => false,
                "true" or "1" or "yes" => true,
                var other => throw new BadInputException($"--post takes true or false, not '{other}'"),
            },
        };
    }

    private static Uri? Url(string? text, string option) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new BadInputException($"--{option} must be an http(s) address, not '{text}'");

    public Uri RequireForge(string who) =>
        ForgeUrl ?? throw new BadInputException($"{who} needs --forge-url (or RECIPE_CI_FORGE_URL), e.g. --forge-url=https://git.example.org");

    public string RequireBot(string who) =>
        Bot ?? throw new BadInputException($"{who} needs --bot (or RECIPE_CI_BOT): the bot account's login on the forge, so that its own comments are told apart");
}
