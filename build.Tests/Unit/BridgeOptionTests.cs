using System.Text;
using RecipeCi.Bridge;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class BridgeOptionTests
{
    private static BridgeOptions Parse(Dictionary<string, string> given, Dictionary<string, string>? env = null) =>
        BridgeOptions.Parse(n => given.GetValueOrDefault(n), n => env?.GetValueOrDefault(n));

    [Fact]
    public void Options_fall_back_to_the_environment_and_default_to_polling_every_30_seconds_through_drone()
    {
        var o = Parse([], new() { ["RECIPE_CI_FORGE_URL"] = "https://git.example.org", ["RECIPE_CI_BOT"] = "ci-bot", ["RECIPE_CI_DRONE_REPO"] = "ops/recipe-ci", ["RECIPE_CI_ALLOWLIST"] = "a, B" });

        Assert.Equal((new Uri("https://git.example.org"), "ci-bot", new ForgeRepository("ops", "recipe-ci")), (o.ForgeUrl, o.Bot, o.DroneRepo));
        Assert.Equal((TimeSpan.FromSeconds(30), BridgeRunner.Drone, false, (string?)null), (o.Poll, o.Runner, o.Post, o.Listen));
        Assert.True(o.Allowlist.Contains("b") && o.Allowlist.Contains("A"));
        var given = Parse(new() { ["poll"] = "5", ["runner"] = "local", ["listen"] = "127.0.0.1:8099", ["post"] = "true", ["bot"] = "other" }, new() { ["RECIPE_CI_BOT"] = "ci-bot" });
        Assert.Equal((TimeSpan.FromSeconds(5), BridgeRunner.Local, "127.0.0.1:8099", true, "other"), (given.Poll, given.Runner, given.Listen, given.Post, given.Bot));
    }

    [Theory]
    [InlineData("poll", "0", "--poll must be a whole number of seconds from 1 to 3600")]
    [InlineData("listen", "8099", "--listen must be host:port")]
    [InlineData("runner", "jenkins", "--runner must be drone or local")]
    [InlineData("forge-url", "git.example.org", "--forge-url must be an http(s) address")]
    [InlineData("drone-repo", "recipe-ci", "--drone-repo must be owner/name")]
    public void Malformed_options_are_bad_input_naming_the_option(string option, string value, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<BadInputException>(() => Parse(new() { [option] = value })).Message);

    [Fact]
    public void A_webhook_signature_is_the_hex_hmac_sha256_of_the_exact_body()
    {
        var secret = Encoding.UTF8.GetBytes("shared-secret");
        var body = Encoding.UTF8.GetBytes("{\"action\":\"created\"}");
        // Computed independently: printf '%s' '{"action":"created"}' | openssl dgst -sha256 -hmac shared-secret
        const string signature = "e335786140fc5f22ef971de189a0610c0634b47b942069bdc5a67c669eb28312";

        Assert.Equal(signature, WebhookSignature.Of(secret, body));
        Assert.True(WebhookSignature.Verify(secret, body, signature));
        Assert.True(WebhookSignature.Verify(secret, body, signature.ToUpperInvariant()));
        Assert.False(WebhookSignature.Verify(secret, Encoding.UTF8.GetBytes("{\"action\":\"created\" }"), signature));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("other"), body, signature));
        Assert.False(WebhookSignature.Verify(secret, body, null));
        Assert.False(WebhookSignature.Verify(secret, body, "sha256=" + signature));
        Assert.False(WebhookSignature.Verify(secret, body, signature[..10]));
    }
}
