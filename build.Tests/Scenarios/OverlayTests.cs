using Newtonsoft.Json.Linq;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Scenarios;

/// <summary>An overlay makes the tree dirty: the base goes out as abra allows it (--chaos), HC1 strips +U.</summary>
public sealed class OverlayTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Overlay_applies_to_base_and_head_and_HC1_strips_the_dirty_marker()
    {
        await LocalSwarm.EnsureAsync();
        var repo = await _ws.AddRecipeAsync("ovl", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1"), new TestRelease("1.1.0+2")));
        var head = await _ws.GitAsync(repo, "rev-parse", "HEAD");
        Directory.CreateDirectory(Path.Combine(_ws.Root, "overlays", "ovl"));
        await File.WriteAllTextAsync(Path.Combine(_ws.Root, "overlays", "ovl", "compose.ccci.yml"),
            "# environmental: one copy of the app at a time\nversion: \"3.8\"\nservices:\n  app:\n    deploy:\n      update_config:\n        order: stop-first\n");

        var run = await _ws.RunAsync("Upgrade", "ovl", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("ovl", run));
        var r = _ws.Results("ovl");
        // The test app's health service mounts no volume, so the upgrade's data marker skips, saying so.
        Assert.All(r.Stages.Where(s => s.Name is not ("SeedUpgradeMarker" or "VerifyUpgradeMarker")), s => Assert.Equal(StageStatus.Passed, s.Status));
        Assert.Contains("COMPOSE_FILE=compose.yml:compose.ccci.yml", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ovl", StageId.VetBase), "app.env")));
        var hc1 = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ovl", StageId.HeadIdentityCheck), "hc1.json")));
        Assert.Equal(head[..8] + "+U", (string?)hc1["found"]);
        // The base was a chaos deploy of the release's commit: its services say so.
        var baseServices = JArray.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("ovl", StageId.AwaitBaseConvergence), "services.json")));
        var app = baseServices.Single(s => (string?)s["Spec"]!["Name"] == $"{r.Stack}_app");
        Assert.Equal("true", (string?)app["Spec"]!["Labels"]![$"coop-cloud.{r.Stack}.chaos"]);
        Assert.Equal("stop-first", (string?)app["Spec"]!["UpdateConfig"]!["Order"]);
        Assert.Empty(await Workspace.LeftoversAsync(r.Stack));
    }

    public void Dispose() => _ws.Dispose();
}
