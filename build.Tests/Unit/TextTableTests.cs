using RecipeCi.Tables;

namespace RecipeCi.Tests.Unit;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_line_up_numbers_on_the_right_and_no_line_ends_in_blanks()
    {
        var lines = new TextTable(3, rightAligned: 2).Row("fetch", "passed", "1.5s").Row("await_head_convergence", "rolled_back", "123.0s").Lines().ToList();
        Assert.Equal(["  fetch                  passed        1.5s", "  await_head_convergence rolled_back 123.0s"], lines);
    }

    [Fact]
    public void A_cell_is_text_never_markup_and_a_long_one_stays_on_its_row()
    {
        var reason = "app exited [red]3[/] " + new string('x', 300);
        var lines = new TextTable(2).Row("a", reason).Row("bb", null).Lines("").ToList();
        Assert.Equal(["a  " + reason, "bb"], lines);
    }

    [Fact]
    public void An_empty_table_prints_nothing() => Assert.Empty(new TextTable(2).Lines());
}
