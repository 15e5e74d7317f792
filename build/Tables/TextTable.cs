using Spectre.Console;

namespace RecipeCi.Tables;

/// <summary>
/// Rows of plain text in aligned columns, laid out by Spectre.Console: every table the console and
/// the evidence files print. No border and no colour, so a line reads the same in a terminal, a pipe
/// and a log file; cells are taken as text, never as markup.
/// </summary>
public sealed class TextTable
{
    private readonly Table _table = new() { Border = TableBorder.None, ShowHeaders = false };

    /// <param name="rightAligned">The columns, by index, whose cells line up on their right (numbers).</param>
    public TextTable(int columns, params int[] rightAligned)
    {
        for (var c = 0; c < columns; c++)
            _table.AddColumn(new TableColumn("")
            {
                NoWrap = true,
                Padding = new Padding(0, 0, c == columns - 1 ? 0 : 1, 0),
                Alignment = rightAligned.Contains(c) ? Justify.Right : Justify.Left,
            });
    }

    public int Count => _table.Rows.Count;

    public TextTable Row(params string?[] cells)
    {
        _table.AddRow(cells.Select(c => new Text(c ?? "")).ToArray());
        return this;
    }

    /// <summary>The table's lines, each after <paramref name="indent"/>, without trailing blanks.</summary>
    public IEnumerable<string> Lines(string indent = "  ")
    {
        if (Count == 0) return [];
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        // Wide enough that no cell wraps: a long reason stays on its row.
        console.Profile.Width = 4096;
        console.Write(_table);
        return text.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Select(l => indent + l).ToList();
    }
}
