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

    /// <summary>The first recipe version the check applies to (<c>from:</c>); null for every version before <see cref="Until"/>.</summary>
    public RecipeVersion? From { get; init; }

    /// <summary>The last recipe version the check applies to (<c>until:</c>, inclusive); null for every version from <see cref="From"/> on.</summary>
    public RecipeVersion? Until { get; init; }

    /// <summary>
    /// Why the check does not apply to the deployed <paramref name="version"/>, or null when it does.
    /// Versions compare as the base choice orders releases; a bound without an upstream part
    /// (<c>2.0.0</c>) covers every upstream of that recipe version. A deploy that declares no
    /// version runs every check: nothing says it is outside the range.
    /// </summary>
    public string? OutOfRange(RecipeVersion? version) =>
        version is null ? null
        : From is not null && version.IsOlderThan(From) ? $"applies from {From} on; this is {version}"
        : Until is not null && Until.IsOlderThan(version) ? $"applies until {Until}; this is {version}"
        : null;

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

    /// <summary>Not run: the deployed version is outside the check's from/until (the detail says why).</summary>
    public bool Skipped { get; init; }

    /// <summary>Ran and did not pass.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public bool Failed => !Passed && !Skipped;

    public static CheckResult Skip(string name, string reason) => new(name, false, reason, 0) { Skipped = true };
}
