using RecipeCi.Lint;

namespace RecipeCi.Tests.Unit;

/// <summary>The table of <c>abra recipe lint</c>, as a PTY delivers it (colours, CRLF, wrapped cells).</summary>
public sealed class AbraLintTableTests
{
    private const string Recorded =
        "\u001b[1m┌──────┬──────────────────────────────────────┬──────────┬───────────┬─────────┬─────────────────────────────┐\u001b[0m\r\n" +
        "│ REF  │ RULE                                 │ SEVERITY │ SATISFIED │ SKIPPED │ RESOLVE                     │\r\n" +
        "├──────┼──────────────────────────────────────┼──────────┼───────────┼─────────┼─────────────────────────────┤\r\n" +
        "│ R001 │ compose config has expected version  │ warning  │ yes       │ no      │ ensure 'version: \"3.8\"'     │\r\n" +
        "│ R002 │ healthcheck enabled for all services │ warning  │ no        │ no      │ add a healthcheck           │\r\n" +
        "│ R006 │ has published catalogue version      │ error    │ no        │ yes     │                             │\r\n" +
        "│ R014 │ only annotated tags used for recipe  │ error    │ \u001b[31mno\u001b[0m        │ no      │ replace lightweight tags    │\r\n" +
        "│      │ version                              │          │           │         │ with annotated tags         │\r\n" +
        "└──────┴──────────────────────────────────────┴──────────┴───────────┴─────────┴─────────────────────────────┘\r\n";

    [Fact]
    public void Reads_every_row_and_joins_wrapped_cells()
    {
        var output = AbraLintTable.Parse(Recorded);
        Assert.Null(output.Fatal);
        Assert.Equal(["R001", "R002", "R006", "R014"], output.Rows.Select(r => r.Ref));
        var r014 = output.Rows[3];
        Assert.Equal(new AbraLintRow("R014", "only annotated tags used for recipe version", "error", false, false,
            "replace lightweight tags with annotated tags"), r014);
        Assert.True(output.Rows[0].Satisfied);
        Assert.True(output.Rows[2].Skipped);
    }

    [Fact]
    public void Unsatisfied_unskipped_rows_become_findings_with_abras_severity()
    {
        var findings = AbraLintTable.Parse(Recorded).Rows.Where(r => r.Failed).Select(r => r.ToFinding()).ToList();
        Assert.Equal(["R002", "R014"], findings.Select(f => f.Rule));
        Assert.Equal([LintSeverity.Warning, LintSeverity.Error], findings.Select(f => f.Severity));
        Assert.All(findings, f => Assert.Equal("abra recipe lint", f.File));
        Assert.Equal("add a healthcheck", findings[0].Fix);
    }

    [Fact]
    public void Ascii_borders_parse_the_same()
    {
        var output = AbraLintTable.Parse("""
            +------+---------------------+----------+-----------+---------+---------+
            | REF  | RULE                | SEVERITY | SATISFIED | SKIPPED | RESOLVE |
            +------+---------------------+----------+-----------+---------+---------+
            | R009 | one service named   | error    | ❌        | ❌      | add one |
            |      | 'app'               |          |           |         |         |
            +------+---------------------+----------+-----------+---------+---------+
            """);
        var row = Assert.Single(output.Rows);
        Assert.Equal("one service named 'app'", row.Rule);
        Assert.True(row.Failed);
    }

    [Fact]
    public void A_fata_line_is_kept_and_no_rows_are_invented()
    {
        var output = AbraLintTable.Parse("FATA unable to validate recipe: .env.sample for demo couldn't be read\r\n");
        Assert.Empty(output.Rows);
        Assert.StartsWith("FATA unable to validate recipe", output.Fatal);
    }

    [Fact]
    public void An_unknown_cell_value_is_an_error_naming_rule_and_column()
    {
        var ex = Assert.Throws<FormatException>(() => AbraLintTable.Parse(
            "| REF | RULE | SEVERITY | SATISFIED | SKIPPED | RESOLVE |\n| R003 | all images use a tag | error | maybe | no | tag it |\n"));
        Assert.Contains("rule R003 has satisfied 'maybe'", ex.Message);
    }
}
