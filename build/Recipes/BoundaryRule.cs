using System.Runtime.Serialization;

namespace RecipeCi.Recipes;

/// <summary>
/// The rules of the trust boundary, by the name recipes.yaml's <c>allow:</c> uses. The catalogue
/// reads the names here; lint's rules of the boundary (L009 onwards) are built on them, so the two
/// cannot name different rules.
/// </summary>
public enum BoundaryRule
{
    [EnumMember(Value = "docker-socket")] DockerSocket,
    [EnumMember(Value = "host-root-mount")] HostRootMount,
    [EnumMember(Value = "privileged")] Privileged,
    [EnumMember(Value = "cap-add")] CapAdd,
    [EnumMember(Value = "host-network")] HostNetwork,
    [EnumMember(Value = "host-bind-mount")] HostBindMount,
    [EnumMember(Value = "host-volume-bind")] HostVolumeBind,
    [EnumMember(Value = "file-outside-tree")] FileOutsideTree,
    [EnumMember(Value = "devices")] Devices,
    [EnumMember(Value = "host-namespace")] HostNamespace,
    [EnumMember(Value = "security-opt")] SecurityOpt,
    [EnumMember(Value = "cgroup-parent")] CgroupParent,
    [EnumMember(Value = "host-sysctl")] HostSysctl,
    [EnumMember(Value = "external-object")] ExternalObject,
}
