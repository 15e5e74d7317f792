using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace RecipeCi.Lint;

/// <summary>An error costs the lint rung; a warning is recorded and passes.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum LintSeverity
{
    [EnumMember(Value = "warning")] Warning,
    [EnumMember(Value = "error")] Error,
}

/// <summary>
/// One problem lint found: which rule, how bad, where (file and 1-based line; no line for abra's
/// own rules, whose table names none), what is wrong and how to fix it.
/// </summary>
[JsonObject(NamingStrategyType = typeof(SnakeCaseNamingStrategy))]
public sealed record LintFinding(string Rule, string Name, LintSeverity Severity, string File, int? Line, string Message, string Fix)
{
    public string Where => Line is null ? File : $"{File}:{Line}";
}
