using RecipeCi.Verdicts;

namespace RecipeCi.Naming;

/// <summary>The labels abra stamps on an app's services, as <c>coop-cloud.&lt;stack&gt;.&lt;word&gt;</c>.</summary>
public enum AbraLabel
{
    Recipe,
    Chaos,
    Version,
    [System.Runtime.Serialization.EnumMember(Value = "chaos-version")] ChaosVersion,
    Timeout,
}

/// <summary>
/// A stack and every name swarm and abra derive from it: services, volumes, networks and configs
/// are <c>&lt;stack&gt;_&lt;name&gt;</c>, secrets <c>&lt;stack&gt;_&lt;name&gt;_&lt;version&gt;</c>, abra's
/// labels <c>coop-cloud.&lt;stack&gt;.&lt;word&gt;</c>. The one place these shapes are written.
/// </summary>
public sealed record StackName(string Value)
{
    /// <summary>A service, volume, network or config of the stack.</summary>
    public string Of(string name) => $"{Value}_{name}";

    public string Secret(string name, string version) => Of($"{name}_{version}");

    public string Label(AbraLabel label) => $"coop-cloud.{Value}.{label.Word()}";

    /// <summary>True for a resource named as one of this stack's.</summary>
    public bool Owns(string resource) => resource.StartsWith(Value + "_", StringComparison.Ordinal);

    /// <summary>The short name of a resource this stack <see cref="Owns"/>: <c>app</c> of <c>&lt;stack&gt;_app</c>.</summary>
    public string NameOf(string resource) => resource[(Value.Length + 1)..];

    public override string ToString() => Value;
}
