using System.Globalization;
using System.Text.RegularExpressions;

namespace RecipeCi.Lint;

/// <summary>Compose durations, Go's format: <c>20m</c>, <c>1m30s</c>, <c>500ms</c>, <c>1h</c>.</summary>
public static partial class ComposeDuration
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<unit>ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var m = Pattern().Match(text?.Trim() ?? "");
        if (!m.Success) return false;
        for (var i = 0; i < m.Groups["n"].Captures.Count; i++)
        {
            var n = double.Parse(m.Groups["n"].Captures[i].Value, CultureInfo.InvariantCulture);
            duration += m.Groups["unit"].Captures[i].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.FromMicroseconds(m.Groups["unit"].Captures[i].Value == "ns" ? n / 1000 : n),
            };
        }
        return true;
    }
}
