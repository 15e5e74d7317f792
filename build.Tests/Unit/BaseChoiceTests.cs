using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

/// <summary>The upgrade's base, chosen by history from recorded tag facts (issue 9: wrong bases on real recipes).</summary>
public sealed class BaseChoiceTests
{
    private const string Head = "headheadhead0000000000000000000000000000";

    /// <summary>A tag on commit <paramref name="commit"/>, written at <paramref name="time"/>.</summary>
    private static TagFact Tag(string name, string commit, bool ancestor = true, long time = 0) =>
        new(name, commit, RecipeVersion.TryParse(name, out var v) ? v : null, ancestor, time);

    private static RecipeVersion V(string text) => RecipeVersion.Parse(text);

    private static string Line(BaseChoice choice, string tag) => choice.Lines.Single(l => l.StartsWith($"  tag {tag} (", StringComparison.Ordinal));

    [Fact]
    public void Head_carrying_a_v_release_tag_with_an_upstream_label_steps_back_to_the_previous_release()
    {
        // v1.0.3 sorts below 1.0.3+1.0.3 (no upstream part): only history keeps it from being the base.
        var tags = new[] { Tag("v1.0.1", "c1", time: 1), Tag("v1.0.2", "c2", time: 2), Tag("v1.0.3", Head, time: 3) };

        var choice = BaseChoice.Decide(Head, V("1.0.3+1.0.3"), tags, null);

        Assert.Equal("v1.0.2", choice.Tag?.Name);
        Assert.Null(choice.Error);
        Assert.Equal("c2", choice.Tag!.Commit);
        Assert.EndsWith("passed over: on the head's own commit", Line(choice, "v1.0.3"));
        Assert.EndsWith("chosen", Line(choice, "v1.0.2"));
        Assert.EndsWith("passed over: older than v1.0.2", Line(choice, "v1.0.1"));
        Assert.Equal("head headheadhead declares 1.0.3+1.0.3", choice.Lines[0]);
    }

    [Fact]
    public void Head_past_its_own_release_without_a_version_bump_does_not_upgrade_from_that_release()
    {
        // The head is a fix after v1.0.3 that still declares 1.0.3+1.0.3: the same release, not an older one.
        var tags = new[] { Tag("v1.0.2", "c2", time: 2), Tag("v1.0.3", "c3", time: 3) };

        var choice = BaseChoice.Decide(Head, V("1.0.3+1.0.3"), tags, null);

        Assert.Equal("v1.0.2", choice.Tag?.Name);
        Assert.EndsWith("passed over: not older than the head's 1.0.3+1.0.3", Line(choice, "v1.0.3"));
    }

    [Fact]
    public void Newer_release_the_head_does_not_descend_from_is_never_the_base()
    {
        // The head is an ancestor of 2.0.0+1 (or on another branch): upgrading from it would be a downgrade.
        var tags = new[] { Tag("1.0.0+1", "a", time: 1), Tag("2.0.0+1", "c", ancestor: false, time: 3) };

        var labelled = BaseChoice.Decide(Head, V("3.0.0+1"), tags, null);
        var unlabelled = BaseChoice.Decide(Head, null, tags, null);

        Assert.Equal("1.0.0+1", labelled.Tag?.Name);
        Assert.Equal("1.0.0+1", unlabelled.Tag?.Name);
        Assert.EndsWith("passed over: not an ancestor of the head", Line(unlabelled, "2.0.0+1"));
        Assert.True(BaseChoice.Decide(Head, null, [Tag("2.0.0+1", "c", ancestor: false)], null).Tag is null);
    }

    [Fact]
    public void Head_without_a_version_label_takes_the_newest_ancestor_release()
    {
        // Newest by version, not by commit: 1.1.0+1 was tagged before a backport 1.0.5+1.
        var tags = new[] { Tag("1.0.0+1", "a", time: 1), Tag("1.1.0+1", "b", time: 2), Tag("1.0.5+1", "d", time: 4) };

        var choice = BaseChoice.Decide(Head, null, tags, null);

        Assert.Equal("1.1.0+1", choice.Tag?.Name);
        Assert.Equal("1.1.0+1 (newest release the head descends from; the head declares no version)", choice.How);
        Assert.Equal("head headheadhead declares no version", choice.Lines[0]);
    }

    [Fact]
    public void Equal_versions_are_ordered_by_commit_time()
    {
        var choice = BaseChoice.Decide(Head, null, [Tag("v1.0.0", "late", time: 9), Tag("1.0.0", "early", time: 1)], null);

        Assert.Equal("v1.0.0", choice.Tag?.Name);
        Assert.EndsWith("passed over: older than v1.0.0", Line(choice, "1.0.0"));
    }

    [Fact]
    public void Tags_that_are_not_recipe_versions_are_ignored_and_listed()
    {
        var tags = new[] { Tag("latest", "x"), Tag("1.0.0+1", "a", time: 1), Tag("release-2", "y"), Tag("1.2", "z") };

        var choice = BaseChoice.Decide(Head, V("1.1.0+1"), tags, null);

        Assert.Equal("1.0.0+1", choice.Tag?.Name);
        foreach (var name in new[] { "latest", "release-2", "1.2" })
            Assert.EndsWith("ignored: not a recipe version", Line(choice, name));
        var none = BaseChoice.Decide(Head, V("1.1.0+1"), [Tag("latest", "x")], null);
        Assert.Null(none.Tag);
        Assert.Equal("skipped: the recipe has no published release", none.How);
    }

    [Fact]
    public void No_older_ancestor_release_skips_the_upgrade_with_the_reason()
    {
        var choice = BaseChoice.Decide(Head, V("1.0.0+1"), [Tag("1.0.0+1", Head), Tag("2.0.0+1", "c", ancestor: false)], null);

        Assert.Null(choice.Tag);
        Assert.Null(choice.Error);
        Assert.Equal("skipped: no published release older than the head's 1.0.0+1 among the head's ancestors", choice.How);
    }

    [Fact]
    public void Requested_base_that_is_not_an_ancestor_is_an_error_naming_it_and_the_fix()
    {
        var tags = new[] { Tag("1.0.0+1", "a", time: 1), Tag("1.1.0+1", "b", time: 2), Tag("2.0.0+1", "c", ancestor: false, time: 3) };

        var refused = BaseChoice.Decide(Head, V("1.2.0+1"), tags, "2.0.0+1");

        Assert.Null(refused.Tag);
        Assert.StartsWith("base '2.0.0+1' is not an ancestor of the head: an upgrade from it would be a downgrade", refused.Error);
        Assert.Contains("Fix: pass to --base (or set as the catalogue's 'base') a release tag the head headheadhead descends from (1.0.0+1, 1.1.0+1)", refused.Error);
        Assert.EndsWith("passed over: not an ancestor of the head", Line(refused, "2.0.0+1"));

        Assert.StartsWith("base '9.9.9+9' is not a release tag of the recipe (tags: 1.0.0+1, 1.1.0+1, 2.0.0+1)", BaseChoice.Decide(Head, null, tags, "9.9.9+9").Error);
        Assert.StartsWith("base '1.2.0+1' is the head's own commit", BaseChoice.Decide(Head, null, [.. tags, Tag("1.2.0+1", Head)], "1.2.0+1").Error);

        var requested = BaseChoice.Decide(Head, V("1.2.0+1"), tags, "1.0.0+1");
        Assert.Equal("1.0.0+1", requested.Tag?.Name);
        Assert.Equal("1.0.0+1 (requested)", requested.How);
        Assert.EndsWith("passed over: not the requested base", Line(requested, "1.1.0+1"));
    }

    [Fact]
    public async Task On_a_real_history_the_tag_on_the_head_is_passed_over_for_the_previous_release()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-base-unit-").FullName;
        try
        {
            var path = Path.Combine(dir, "r");
            var runner = new CommandRunner();
            await TestRecipe.History(new TestRelease("1.0.1+1.0.1"), new TestRelease("1.0.2+1.0.2", "v1.0.2"), new TestRelease("1.0.3+1.0.3", "v1.0.3"))
                .BuildAsync(path, runner, CancellationToken.None);
            async Task<string> Git(params string[] args) => (await runner.RunAsync(new Command("git", ["-C", path, "-c", "user.name=t", "-c", "user.email=t@t", .. args]))).Stdout.Trim();
            var repo = new GitRepository(path, runner);
            var head = await repo.HeadAsync(CancellationToken.None);
            // A lightweight release on the first commit, and a newer release on a commit that descends from the head.
            await Git("tag", "v1.0.1", "HEAD~2");
            await Git("tag", "1.1.0+1.1.0", await Git("commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "newer"));

            var facts = await repo.TagFactsAsync(head, CancellationToken.None);
            var choice = BaseChoice.Decide(head, RecipeVersion.Parse("1.0.3+1.0.3"), facts, null);

            Assert.Equal("v1.0.2", choice.Tag?.Name);
            Assert.Equal(await Git("rev-parse", "HEAD~1"), choice.Tag!.Commit);
            Assert.Equal(["1.1.0+1.1.0", "v1.0.1", "v1.0.2", "v1.0.3"], facts.Select(f => f.Name).Order(StringComparer.Ordinal));
            Assert.Equal(head, facts.Single(f => f.Name == "v1.0.3").Commit);
            Assert.True(facts.Single(f => f.Name == "v1.0.3").IsAncestor);
            Assert.True(facts.Single(f => f.Name == "v1.0.1").IsAncestor);
            Assert.False(facts.Single(f => f.Name == "1.1.0+1.1.0").IsAncestor);
            Assert.EndsWith("passed over: on the head's own commit", Line(choice, "v1.0.3"));
            Assert.EndsWith("passed over: not an ancestor of the head", Line(choice, "1.1.0+1.1.0"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
