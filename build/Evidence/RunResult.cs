using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using RecipeCi.Verdicts;

namespace RecipeCi.Evidence;

public sealed class StageResult
{
    public string Name { get; init; } = "";
    public string Folder { get; init; } = "";
    public StageStatus Status { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public double DurationS { get; init; }
    public List<string> Evidence { get; init; } = [];
    public bool VerdictNeutral { get; init; }
    public List<Checks.CheckResult> Checks { get; init; } = [];
}

public sealed class TeardownResult
{
    public bool Clean { get; set; }
    public List<string> Leaked { get; set; } = [];
}

/// <summary>The <c>results.json</c> of one recipe run (schema 1).</summary>
public sealed class RunResult
{
    public const int SchemaVersion = 1;

    public int Schema { get; init; } = SchemaVersion;
    public string RunId { get; init; } = "";
    public string Recipe { get; init; } = "";
    public string Mode { get; init; } = "";
    public string? Pr { get; set; }
    public string? Ref { get; set; }
    public string? BaseVersion { get; set; }
    public string? HeadVersion { get; set; }
    public string Driver { get; set; } = "";
    public string AppDomain { get; set; } = "";
    public string Stack { get; set; } = "";
    public string Verdict { get; set; } = "unverified";
    public string? Reason { get; set; }
    public int Level { get; set; }
    public Dictionary<string, RungStatus> Rungs { get; set; } = [];
    /// <summary>The rungs this run set out to verify (its target's, narrowed by --stages); the others are unver.</summary>
    public List<string> Planned { get; set; } = [.. Verdicts.Rungs.Names];
    public List<StageResult> Stages { get; set; } = [];
    public TeardownResult? Teardown { get; set; }
    public AdmissionResult? Admission { get; set; }
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }
    public string Evidence { get; init; } = "";
    /// <summary>What applies to this recipe beyond the defaults: overlay, checks, probes, env keys, base override, backup marker.</summary>
    public Dictionary<string, object?> Customization { get; set; } = [];

    public static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new SnakeCaseNamingStrategy() },
        Formatting = Formatting.Indented,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    public static RunResult Read(string path) =>
        JsonConvert.DeserializeObject<RunResult>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}
