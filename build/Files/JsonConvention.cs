using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace RecipeCi.Files;

/// <summary>
/// The one JSON convention of every artifact: snake_case keys, enums as their words (the same
/// words the console prints, see <see cref="Verdicts.EnumWords"/>), times with their offset.
/// Docker's own JSON is read with docker's names elsewhere; this is for what the harness writes.
/// </summary>
public static class JsonConvention
{
    private static readonly SnakeCaseNamingStrategy SnakeCase = new();

    public static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = SnakeCase },
        Converters = { new StringEnumConverter(SnakeCase) },
        Formatting = Formatting.Indented,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    public static string Serialize(object? value) => JsonConvert.SerializeObject(value, Settings);

    /// <summary>Reads an artifact written in this convention; a file that holds nothing is an error naming it.</summary>
    public static T Read<T>(string path) =>
        JsonConvert.DeserializeObject<T>(File.ReadAllText(path), Settings) ?? throw new InvalidDataException($"{path} is empty");
}
