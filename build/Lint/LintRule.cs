using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>A rule of Recipe CI's own lint, documented in the README's "Lint rules" section.</summary>
public sealed record LintRule(string Id, string Name, LintSeverity Severity, string What, string Fix)
{
    /// <summary>A finding of this rule at a YAML node of a file.</summary>
    public LintFinding At(string file, YamlNode? node, string message) =>
        new(Id, Name, Severity, file, node is null ? null : (int)node.Start.Line, message, Fix);
}

/// <summary>Every rule Recipe CI's lint checks, by id.</summary>
public static class LintRules
{
    public static readonly LintRule ComposeInvalid = new("L000", "compose-invalid", LintSeverity.Error,
        "a compose file of the recipe is not valid YAML or not a compose mapping",
        "make the file parse (docker stack deploy and abra read it on every deploy)");

    public static readonly LintRule SlowStartFirstRollback = new("L001", "slow-start-first-rollback", LintSeverity.Warning,
        "update_config order start-first with failure_action rollback on a service whose healthcheck start_period is a minute or more",
        "use order: stop-first for a heavy service (or failure_action: pause), or shorten the start_period");

    public static readonly LintRule DatabaseWithoutRestoreHook = new("L002", "database-without-restore-hook", LintSeverity.Error,
        "a backed-up database service (a database image or service name, or a backupbot.backup.pre-hook) with no backupbot.restore.post-hook",
        "dump in backupbot.backup.pre-hook, archive only the dump with backupbot.backup.volumes.<volume>.path, reload it in backupbot.restore.post-hook (the /pg_backup.sh convention)");

    public static readonly LintRule DependsOnUndefined = new("L003", "depends-on-undefined", LintSeverity.Error,
        "depends_on names a service the compose file (with compose.yml under an overlay) does not define",
        "name a defined service, or remove the entry");

    public static readonly LintRule ImageUntagged = new("L004", "image-untagged", LintSeverity.Error,
        "an image without a tag or digest",
        "pin the image to a release tag (image: name:1.2.3) or a digest");

    public static readonly LintRule ImageLatest = new("L005", "image-latest", LintSeverity.Error,
        "an image on the 'latest' tag",
        "pin the image to a release tag (image: name:1.2.3) or a digest");

    public static readonly LintRule NoHealthcheck = new("L006", "no-healthcheck", LintSeverity.Warning,
        "a service with no healthcheck, or with its healthcheck disabled",
        "add a healthcheck: test that proves the service serves");

    public static readonly LintRule VersionLabel = new("L007", "version-label", LintSeverity.Error,
        "the app service's coop-cloud.${STACK_NAME}.version label is missing, is not a recipe version, or differs from the release tag on the tested commit",
        "set the label to the release version (abra recipe sync writes it) before tagging");

    public static readonly LintRule NameTooLong = new("L008", "name-too-long", LintSeverity.Error,
        "a service (63), secret or config (64) name that Docker refuses once prefixed with the longest stack name abra makes (45 characters)",
        "shorten the service, secret or config name");

    public static readonly LintRule DockerSocket = new("L009", "docker-socket", LintSeverity.Error,
        "the docker socket (or the directory holding it) is bind-mounted",
        "do not mount the docker socket: a PR recipe would control the CI host");

    public static readonly LintRule HostRootMount = new("L010", "host-root-mount", LintSeverity.Error,
        "the host's root or a host-controlling directory (/, /etc, /root, /boot, /dev, /var/lib/docker) is bind-mounted",
        "mount a named volume or a narrow path instead");

    public static readonly LintRule Privileged = new("L011", "privileged", LintSeverity.Error,
        "a service asks for privileged: true",
        "remove privileged (swarm ignores it, and a PR recipe must not ask for it)");

    public static readonly LintRule CapAdd = new("L012", "cap-add", LintSeverity.Error,
        "a service adds kernel capabilities with cap_add",
        "remove cap_add, or run the recipe outside the shared CI host");

    public static readonly LintRule HostNetwork = new("L013", "host-network", LintSeverity.Error,
        "a service uses the host's network (network_mode: host, or the external network 'host')",
        "use the stack's overlay networks (and the proxy network for web traffic)");

    public static readonly IReadOnlyList<LintRule> All =
    [
        ComposeInvalid, SlowStartFirstRollback, DatabaseWithoutRestoreHook, DependsOnUndefined, ImageUntagged, ImageLatest,
        NoHealthcheck, VersionLabel, NameTooLong, DockerSocket, HostRootMount, Privileged, CapAdd, HostNetwork,
    ];
}
