using Newtonsoft.Json;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Support;

/// <summary>
/// A convergence wait recorded on the real swarm: the request and every look the watcher made, in
/// order. Kept in <c>build.Tests/Fixtures/Observations/&lt;scenario&gt;.json</c> and replayed through the
/// judge without docker.
/// </summary>
public sealed record ObservationFixture(
    string Stack,
    IReadOnlyList<string> Services,
    TimeSpan Budget,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Labels,
    IReadOnlyList<SwarmObservation> Observations)
{
    /// <summary>Set to 1 to have the scenario tests write the fixtures they make.</summary>
    public const string RecordVariable = "RECIPE_CI_RECORD_OBSERVATIONS";

    public static bool Recording => Environment.GetEnvironmentVariable(RecordVariable) == "1";

    public static string PathOf(string scenario) => Path.Combine(RepoRoot.Path, "build.Tests", "Fixtures", "Observations", scenario + ".json");

    public static readonly JsonSerializerSettings Settings = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        DefaultValueHandling = DefaultValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    public ConvergenceRequest Request => new(Stack, Services, Budget) { Labels = Labels };

    public static ObservationFixture Of(ConvergenceRequest request, IReadOnlyList<SwarmObservation> looks) =>
        new(request.Stack, request.Services, request.Budget, request.Labels, looks);

    /// <summary>Writes the request, then one look per line: small, and a re-recording diffs look by look.</summary>
    public void Save(string scenario)
    {
        var request = JsonConvert.SerializeObject(new { Stack, Services, Budget, Labels }, Settings);
        var looks = string.Join(",\n", Observations.Select(o => "  " + JsonConvert.SerializeObject(o, Settings)));
        File.WriteAllText(PathOf(scenario), request[..^1] + $",\"Observations\":[\n{looks}\n]}}\n");
    }

    public static ObservationFixture Load(string scenario) =>
        JsonConvert.DeserializeObject<ObservationFixture>(File.ReadAllText(PathOf(scenario)), Settings)
        ?? throw new InvalidDataException($"{PathOf(scenario)} holds no recording");
}
