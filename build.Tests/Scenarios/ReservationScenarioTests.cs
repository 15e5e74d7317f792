using RecipeCi.Machine;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

public sealed class ReservationScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task An_admitted_run_reserves_its_needs_until_its_first_deploy_converged()
    {
        await LocalSwarm.EnsureAsync();
        await _ws.AddRecipeAsync("swres", TestRecipe.History(new TestRelease("1.0.0+1", "1.0.0+1")));

        var run = await _ws.RunAsync("Install", "swres", "--abra=local");

        Assert.True(run.ExitCode == 0, _ws.Explain("swres", run));
        var book = new ReservationBook(_ws.LockDir);
        var domain = _ws.Results("swres").AppDomain;
        Assert.Contains($"reserved its needs in {book.PathFor(domain)}", await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("swres", StageId.RunAdmission), "console.log")));
        Assert.Contains($"released the resources admission reserved for {domain}",
            await File.ReadAllTextAsync(Path.Combine(_ws.StageDir("swres", StageId.AwaitBaseConvergence), "console.log")));
        Assert.Empty(Directory.GetFiles(book.Folder));
    }

    public void Dispose() => _ws.Dispose();
}
