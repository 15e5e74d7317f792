using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using RecipeCi.Tables;

namespace RecipeCi.Lint;

/// <summary>How abra's own lint went: its rows, or why it did not run or could not be read.</summary>
[JsonObject(NamingStrategyType = typeof(SnakeCaseNamingStrategy))]
public sealed record AbraLintRun(bool Ran, string? NotRunBecause, int? ExitCode, IReadOnlyList<AbraLintRow> Rows, string? Problem)
{
    public static AbraLintRun NotRun(string because) => new(false, because, null, [], null);
}

/// <summary>The lint of one recipe at one ref: <c>lint.json</c> and the readable <c>lint.txt</c>.</summary>
[JsonObject(NamingStrategyType = typeof(SnakeCaseNamingStrategy))]
public sealed record LintReport(string Recipe, string Ref, IReadOnlyList<string> ReleaseTags, IReadOnlyList<LintFinding> Findings, AbraLintRun Abra)
{
    public IReadOnlyList<string> RulesChecked => LintRules.All.Select(r => r.Id).ToList();
    public int Errors => Findings.Count(f => f.Severity == LintSeverity.Error);
    public int Warnings => Findings.Count(f => f.Severity == LintSeverity.Warning);

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine($"lint of {Recipe} at {Ref} (a pristine clone; release tags on this commit: {(ReleaseTags.Count == 0 ? "none" : string.Join(", ", ReleaseTags))})");
        text.AppendLine($"{Errors} error(s), {Warnings} warning(s); Recipe CI rules checked: {string.Join(" ", RulesChecked)}");
        var findings = new TextTable(4);
        foreach (var f in Findings)
            findings.Row(f.Severity.ToString().ToLowerInvariant(), f.Rule, f.Name, f.Where).Row("", "", f.Message).Row("", "", "fix: " + f.Fix);
        foreach (var line in findings.Lines()) text.AppendLine(line);
        text.AppendLine(Abra switch
        {
            { Ran: false } => $"abra recipe lint not run: {Abra.NotRunBecause}",
            { Problem: { } problem } => $"abra recipe lint ran (exit {Abra.ExitCode}) but gave no verdict: {problem}",
            _ => $"abra recipe lint ran (exit {Abra.ExitCode}): {Abra.Rows.Count} rules, {Abra.Rows.Count(r => r.Failed)} not satisfied, {Abra.Rows.Count(r => r.Skipped)} skipped",
        });
        var rows = new TextTable(4);
        foreach (var row in Abra.Rows) rows.Row(row.Ref, row.Skipped ? "skipped" : row.Satisfied ? "ok" : "FAILED", row.Severity, row.Rule);
        foreach (var line in rows.Lines()) text.AppendLine(line);
        return text.ToString();
    }
}
