using RecipeCi.Recipes;

namespace RecipeCi.Tests.Unit;

public sealed class RecipeVersionTests
{
    [Theory]
    [InlineData("0.7.0+3.3.1", "0.9.0+3.5.0")]
    [InlineData("1.2.0+1.0", "1.10.0+1.0")]
    [InlineData("1.0.0+3.9", "1.0.0+3.10")]
    [InlineData("1.0.0-rc1+2", "1.0.0+2")]
    [InlineData("1.0.0-rc2+2", "1.0.0-rc10+2")]
    [InlineData("2.0.1+1.0.6-social-amd64", "2.0.2+1.0.5-social-amd64")]
    [InlineData("0.1.0+1.0", "0.1.0+1.0.1")]
    [InlineData("1.0.0+1.2", "1.0.0+1.10")]
    [InlineData("v1.0.0+1.2", "1.0.0+1.10")]
    [InlineData("1.0.0+1.2", "v1.0.0+1.10")]
    [InlineData("v1.0.2", "1.0.3+1.0.3")]
    [InlineData("1.0.0+1.0.9", "1.0.0+1.0.rc")]
    public void Orders_recipe_versions(string older, string newer)
    {
        Assert.True(RecipeVersion.Parse(older) < RecipeVersion.Parse(newer));
        Assert.True(RecipeVersion.Parse(newer) > RecipeVersion.Parse(older));
    }

    [Fact]
    public void Sorts_a_list_properly_not_as_text()
    {
        var sorted = new[] { "1.10.0+1", "1.2.0+1", "1.9.0+1", "0.9.0+9" }.Select(RecipeVersion.Parse).Order().Select(v => v.Text);
        Assert.Equal(["0.9.0+9", "1.2.0+1", "1.9.0+1", "1.10.0+1"], sorted);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("1.2")]
    [InlineData("")]
    [InlineData("01.2.3+1")]
    public void Rejects_what_is_not_a_version(string text) => Assert.False(RecipeVersion.TryParse(text, out _));

    [Fact]
    public void Equal_versions_compare_equal()
    {
        Assert.Equal(RecipeVersion.Parse("1.0.0+2"), RecipeVersion.Parse("1.0.0+2"));
        Assert.Equal(RecipeVersion.Parse("v1.0.0+2"), RecipeVersion.Parse("1.0.0+2"));
    }

    [Theory]
    [InlineData("1.0.2+1", "1.0.3+1", true)]
    [InlineData("v1.0.2", "1.0.3+1.0.3", true)]
    [InlineData("1.0.3+1.2", "1.0.3+1.10", true)]
    [InlineData("v1.0.3", "1.0.3+1.0.3", false)]   // no upstream part: the same release, never X -> X
    [InlineData("1.0.3+1.0.3", "v1.0.3", false)]
    [InlineData("v1.0.3", "1.0.3", false)]
    [InlineData("1.0.3+1.10", "1.0.3+1.2", false)]
    [InlineData("1.0.3-rc1", "1.0.3+1", true)]
    public void An_older_release_needs_a_lower_semver_or_a_lower_upstream_of_the_same(string a, string b, bool older) =>
        Assert.Equal(older, RecipeVersion.Parse(a).IsOlderThan(RecipeVersion.Parse(b)));
}
