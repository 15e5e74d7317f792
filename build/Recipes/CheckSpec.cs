using System.Runtime.Serialization;

namespace RecipeCi.Recipes;

/// <summary>
/// When a custom check runs (<c>after:</c> in checks.yaml): once the first deploy answers, once the
/// upgrade is verified, once the restore is verified, or at the end (the default).
/// </summary>
public enum CheckMoment
{
    [EnumMember(Value = "install")] Install,
    [EnumMember(Value = "upgrade")] Upgrade,
    [EnumMember(Value = "restore")] Restore,
    [EnumMember(Value = "end")] End,
}

/// <summary>One declarative check of a deployed app, asked from inside one of its service's containers.</summary>
public abstract record CheckSpec(string Name, string Service)
{
    /// <summary>When the check runs; probes run with the health path and ignore it.</summary>
    public CheckMoment After { get; init; } = CheckMoment.End;

    public abstract string Describe();
}

/// <summary>An HTTP request to the container's own loopback: accepted statuses, and optionally text the body must contain.</summary>
public sealed record HttpCheck(string Name, string Service, int Port, string Path, IReadOnlyList<int> Statuses, string? Contains)
    : CheckSpec(Name, Service)
{
    public override string Describe() => $"http {Service}:{Port}{Path} -> {string.Join("/", Statuses)}{(Contains is null ? "" : $" containing '{Contains}'")}";
}

/// <summary>A shell command in the container: its exit code, and optionally text its output must contain.</summary>
public sealed record ExecCheck(string Name, string Service, string Command, int Exit, string? Contains) : CheckSpec(Name, Service)
{
    public override string Describe() => $"exec in {Service}: {Command} -> exit {Exit}{(Contains is null ? "" : $" containing '{Contains}'")}";
}

/// <summary>A TCP port that must accept <see cref="Stable"/> connections in a row, a second apart.</summary>
public sealed record TcpCheck(string Name, string Service, int Port, int Stable) : CheckSpec(Name, Service)
{
    public override string Describe() => $"tcp {Service}:{Port}, {Stable} connect(s) in a row";
}

/// <summary>An executable file under tests/&lt;recipe&gt;/, in any language; exit 0 passes.</summary>
public sealed record ScriptCheck(string Name, string Path) : CheckSpec(Name, "")
{
    public override string Describe() => $"script {System.IO.Path.GetFileName(Path)}";
}

/// <summary>What a check found.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, double DurationS)
{
    /// <summary>
    /// The screenshots a browser check kept, relative to its stage's folder
    /// (<c>checks/admin-logs-in/logged-in.png</c>); absent from the JSON for every other check.
    /// </summary>
    [Newtonsoft.Json.JsonProperty(NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore)]
    public IReadOnlyList<string>? Screenshots { get; init; }
}
