using RecipeCi.Recipes;
using RecipeCi.Verdicts;
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

    // L009 onwards: the trust boundary (see TrustBoundary). A PR recipe is a stranger's code that
    // the CI deploys with root's docker; each rule names a way it would reach into the host.
    private const string Allow = "; or, if the operator trusts the recipe, allow the rule in recipes.yaml (recipes.<name>.allow: [<rule name>])";

    public static readonly LintRule DockerSocket = new("L009", BoundaryRule.DockerSocket.Word(), LintSeverity.Error,
        "the docker socket, /run or /var/run, or anything under them, is bind-mounted",
        "do not mount the docker socket or the host's /run: a PR recipe would control the CI host" + Allow);

    public static readonly LintRule HostRootMount = new("L010", BoundaryRule.HostRootMount.Word(), LintSeverity.Error,
        "the host's root or a host-controlling directory (/, /etc, /root, /boot, /dev, /var/lib/docker) is bind-mounted",
        "mount a named volume instead" + Allow);

    public static readonly LintRule Privileged = new("L011", BoundaryRule.Privileged.Word(), LintSeverity.Error,
        "a service asks for privileged: true",
        "remove privileged (swarm ignores it, and a PR recipe must not ask for it)" + Allow);

    public static readonly LintRule CapAdd = new("L012", BoundaryRule.CapAdd.Word(), LintSeverity.Error,
        "a service adds kernel capabilities with cap_add",
        "remove cap_add, or run the recipe outside the shared CI host" + Allow);

    public static readonly LintRule HostNetwork = new("L013", BoundaryRule.HostNetwork.Word(), LintSeverity.Error,
        "a service uses the host's network (network_mode: host, or the external network 'host')",
        "use the stack's overlay networks (and the proxy network for web traffic)" + Allow);

    public static readonly LintRule HostBindMount = new("L014", BoundaryRule.HostBindMount.Word(), LintSeverity.Error,
        "a bind mount of any other host path: absolute, ~, or a relative path that leaves the recipe tree ('..' or a symlink)",
        "mount a named volume, or a path inside the recipe tree" + Allow);

    public static readonly LintRule HostVolumeBind = new("L015", BoundaryRule.HostVolumeBind.Word(), LintSeverity.Error,
        "a named volume whose driver_opts bind a host path (type: none, o: bind, device: /...)",
        "declare the volume without driver_opts" + Allow);

    public static readonly LintRule FileOutsideTree = new("L016", BoundaryRule.FileOutsideTree.Word(), LintSeverity.Error,
        "a secret's or config's file:, or a service's env_file, outside the recipe tree (absolute, '..', or a symlink leaving it), or a compose file, .env.sample or abra.sh that is a symlink leaving the tree",
        "keep the file in the recipe tree (docker stack deploy reads it on the CI host)" + Allow);

    public static readonly LintRule Devices = new("L017", BoundaryRule.Devices.Word(), LintSeverity.Error,
        "a service maps host devices (devices:)",
        "remove devices" + Allow);

    public static readonly LintRule HostNamespace = new("L018", BoundaryRule.HostNamespace.Word(), LintSeverity.Error,
        "a service shares a host namespace: pid, ipc, uts or userns_mode: host",
        "remove the setting: the container would see or share the host's processes, IPC or user ids" + Allow);

    public static readonly LintRule SecurityOpt = new("L019", BoundaryRule.SecurityOpt.Word(), LintSeverity.Error,
        "security_opt other than no-new-privileges (unconfined seccomp or AppArmor, disabled SELinux labels, a profile read from a host file)",
        "remove the security_opt entry" + Allow);

    public static readonly LintRule CgroupParent = new("L020", BoundaryRule.CgroupParent.Word(), LintSeverity.Error,
        "a service places itself in a host cgroup (cgroup_parent)",
        "remove cgroup_parent" + Allow);

    public static readonly LintRule HostSysctl = new("L021", BoundaryRule.HostSysctl.Word(), LintSeverity.Error,
        "a sysctl outside net.* (those are the kernel's, not the container's)",
        "remove the sysctl, or use a namespaced net.* one" + Allow);

    public static readonly LintRule ExternalObject = new("L022", BoundaryRule.ExternalObject.Word(), LintSeverity.Error,
        "an external secret, config or volume whose swarm name is not under the app's own stack name, or an external network other than proxy",
        "declare the app's own object (abra names it ${STACK_NAME}_<name>), or join only the proxy network: another app's object on the shared swarm is not this app's to read" + Allow);

    /// <summary>The rules of the trust boundary: an error in lint, a refusal before a deploy, allowed only by the catalogue.</summary>
    public static readonly IReadOnlyList<LintRule> TrustBoundary =
    [
        DockerSocket, HostRootMount, Privileged, CapAdd, HostNetwork, HostBindMount, HostVolumeBind, FileOutsideTree,
        Devices, HostNamespace, SecurityOpt, CgroupParent, HostSysctl, ExternalObject,
    ];

    public static readonly IReadOnlyList<LintRule> All =
    [
        ComposeInvalid, SlowStartFirstRollback, DatabaseWithoutRestoreHook, DependsOnUndefined, ImageUntagged, ImageLatest,
        NoHealthcheck, VersionLabel, NameTooLong, .. TrustBoundary,
    ];
}
