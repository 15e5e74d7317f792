using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace RecipeCi.Lint;

/// <summary>One row of <c>abra recipe lint</c>'s table.</summary>
[JsonObject(NamingStrategyType = typeof(SnakeCaseNamingStrategy))]
public sealed record AbraLintRow(string Ref, string Rule, string Severity, bool Satisfied, bool Skipped, string Resolve)
{
    public bool Failed => !Satisfied && !Skipped;

    public LintFinding ToFinding() => new(Ref, Rule, Severity == "warning" ? LintSeverity.Warning : LintSeverity.Error,
        AbraLintTable.Source, null, $"abra: {Rule}: not satisfied", Resolve);
}

/// <summary>What <c>abra recipe lint</c> printed: its table rows, or the FATA line that stopped it.</summary>
public sealed record AbraLintOutput(IReadOnlyList<AbraLintRow> Rows, string? Fatal);

/// <summary>
/// Reads the table <c>abra recipe lint</c> draws (<c>ref | rule | severity | satisfied | skipped |
/// resolve</c>, ASCII or box-drawing borders, colours, long cells wrapped onto continuation lines).
/// Its exit code says only whether abra hit a FATA, so the rows are the result.
/// </summary>
public static partial class AbraLintTable
{
    public const string Source = "abra recipe lint";

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]|\x1B\][^\x07]*\x07")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^R\d{3}$")]
    private static partial Regex RuleRef();

    private static readonly char[] Borders = ['|', '│', '┃'];
    private static readonly string[] Columns = ["ref", "rule", "severity", "satisfied", "skipped"];

    public static AbraLintOutput Parse(string output)
    {
        var lines = Ansi().Replace(output, "").Replace("\r", "").Split('\n');
        var fatal = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Contains("FATA", StringComparison.Ordinal));
        Dictionary<string, int>? column = null;
        var rows = new List<AbraLintRow>();
        foreach (var line in lines.Where(l => l.IndexOfAny(Borders) >= 0))
        {
            var cells = line.Trim().Trim(Borders).Split(Borders).Select(c => c.Trim()).ToList();
            if (column is null)
            {
                var names = cells.Select(c => c.ToLowerInvariant()).ToList();
                if (Columns.All(names.Contains))
                    column = names.Select((n, i) => (n, i)).GroupBy(x => x.n).ToDictionary(g => g.Key, g => g.First().i);
                continue;
            }
            if (cells.Count <= column.Values.Max()) continue;
            string Cell(string name) => column.TryGetValue(name, out var i) ? cells[i] : "";
            var resolve = Cell("resolve") is { Length: > 0 } r ? r : Cell("how-to-fix") is { Length: > 0 } h ? h : Cell("how to fix");
            if (RuleRef().IsMatch(Cell("ref")))
                rows.Add(new AbraLintRow(Cell("ref"), Cell("rule"), Severity(Cell("severity"), Cell("ref")),
                    Flag(Cell("satisfied"), Cell("ref"), "satisfied"), Flag(Cell("skipped"), Cell("ref"), "skipped"), resolve));
            else if (Cell("ref").Length == 0 && rows.Count > 0)
                rows[^1] = rows[^1] with { Rule = Join(rows[^1].Rule, Cell("rule")), Resolve = Join(rows[^1].Resolve, resolve) };
        }
        return new AbraLintOutput(rows, fatal);
    }

    private static string Join(string a, string b) => b.Length == 0 ? a : a.Length == 0 ? b : $"{a} {b}";

    private static string Severity(string text, string rule) => text.ToLowerInvariant() switch
    {
        "warning" or "warn" => "warning",
        "error" or "critical" => "error",
        _ => throw new FormatException($"abra recipe lint: rule {rule} has severity '{text}'; expected warning or error"),
    };

    private static bool Flag(string text, string rule, string column) => text.ToLowerInvariant() switch
    {
        "yes" or "true" or "✅" or "✓" or "✔" => true,
        "no" or "false" or "❌" or "✗" or "✘" => false,
        _ => throw new FormatException($"abra recipe lint: rule {rule} has {column} '{text}'; expected yes or no"),
    };
}
