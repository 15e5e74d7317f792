using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

public sealed class NamingTests
{
    [Fact]
    public void Domain_is_recipe_prefix_and_hash_of_recipe_pr_ref()
    {
        var d = AppNaming.Domain("discourse", "12", "7ae7b0f76efb", "ci.example.net");
        Assert.Matches(@"^disc-[0-9a-f]{6}\.ci\.example\.net$", d);
        Assert.Equal(d, AppNaming.Domain("discourse", "12", "7ae7b0f76efb", "ci.example.net"));
        Assert.NotEqual(d, AppNaming.Domain("discourse", "13", "7ae7b0f76efb", "ci.example.net"));
        Assert.NotEqual(d, AppNaming.Domain("discourse", "12", "eb96de94", "ci.example.net"));
    }

    [Fact]
    public void Stack_name_replaces_dots_and_stays_within_abras_limit()
    {
        Assert.Equal("disc-abc123_ci_local", AppNaming.StackName("disc-abc123.ci.local"));
        Assert.Equal(AppNaming.MaxStackName, AppNaming.StackName(new string('a', 30) + ".very.long.example.suffix.net").Length);
    }

    [Fact]
    public void Names_beyond_dockers_limits_are_reported()
    {
        var stack = new StackName(new string('s', 45));
        var problems = AppNaming.NameProblems(stack, ["app", "a-service-with-a-long-name"], [("secret", stack.Secret("a_very_long_secret", "v1"))]).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("63"));
        Assert.Contains(problems, p => p.Contains("64"));
        Assert.Empty(AppNaming.NameProblems(new StackName("short_ci_local"), ["app"], [("config", "short_ci_local_key_v1")]));
    }

    [Theory]
    [InlineData("hell-0a1b2c_ci_local", "ci.local", "hell-0a1b2c.ci.local")]
    [InlineData("hell-0a1b2c_ci_local_app", "ci.local", "hell-0a1b2c.ci.local")]
    [InlineData("hell-0a1b2c_ci_local_token_v1", "ci.local", "hell-0a1b2c.ci.local")]
    [InlineData("hell-0a1b2c_other_suffix_app", "ci.local", null)]
    [InlineData("hell-0a1b2c_ci_localx_app", "ci.local", null)]
    [InlineData("cvg-exp1_app", "ci.local", null)]
    [InlineData("hello_ci_local_app", "ci.local", null)]
    public void Harness_resources_are_recognised_only_with_the_suffix(string name, string suffix, string? domain) =>
        Assert.Equal(domain, AppNaming.DomainOfResource(name, suffix));

    [Fact]
    public void A_truncated_stack_is_still_recognised()
    {
        const string suffix = "a-very-long-domain-suffix-for-ci.example.org";
        var domain = AppNaming.Domain("hello", "1", "abc", suffix);
        var stack = AppNaming.StackName(domain);
        Assert.Equal(AppNaming.MaxStackName, stack.Length);
        Assert.Equal(domain, AppNaming.DomainOfResource(stack + "_app", suffix));
    }
}
