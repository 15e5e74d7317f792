using RecipeCi.Recipes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Lint;

/// <summary>
/// One entry of a service's <c>volumes:</c>, short (<c>src:dst[:mode]</c>) or long form, with its
/// source expanded as a deploy with the sample env would.
/// </summary>
public sealed record ServiceMount(bool IsBind, string Source, string Target, YamlNode Node)
{
    public static IReadOnlyList<ServiceMount> Of(ComposeService service, RecipeTree tree) => Of(service, text => tree.Expand(text));

    /// <param name="expand">Interpolates a value as the deploy does.</param>
    public static IReadOnlyList<ServiceMount> Of(ComposeService service, Func<string, string> expand) =>
        service.Get("volumes") is YamlSequenceNode list ? list.Children.Select(n => Parse(n, expand)).OfType<ServiceMount>().ToList() : [];

    private static ServiceMount? Parse(YamlNode node, Func<string, string> expand)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text }:
            {
                var parts = expand(text).Split(':');
                // "/data" alone is an anonymous volume.
                var (source, target) = parts.Length == 1 ? ("", parts[0]) : (parts[0], parts[1]);
                return new ServiceMount(IsHostPath(source), source, target, node);
            }
            case YamlMappingNode map:
            {
                string Field(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { } s } ? expand(s) : "";
                var source = Field("source");
                var type = Field("type");
                return new ServiceMount(type == "bind" || (type.Length == 0 && IsHostPath(source)), source, Field("target"), node);
            }
            default:
                return null;
        }
    }

    private static bool IsHostPath(string source) => source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~');

    /// <summary>The host path without a trailing slash.</summary>
    public string HostPath => TrimSlash(Source);

    /// <summary>A path without its trailing slash ("/" stays "/").</summary>
    public static string TrimSlash(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
