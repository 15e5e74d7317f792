using Newtonsoft.Json.Linq;
using RecipeCi.Locks;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Scenarios;

/// <summary>The Status target against a lock this test process holds, as a run holds it: exit 3 with its row; released, exit 0.</summary>
public sealed class StatusScenarioTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_held_lock_is_a_live_run_and_exit_3_until_it_is_released()
    {
        const string domain = "stat-1a2b3c.ci.local";
        var run = Path.Combine(_ws.Artifacts, "runs", "status-run", "stat");
        Directory.CreateDirectory(Path.Combine(run, "01-FetchRecipe"));
        var held = AppDomainLock.TryAcquire(_ws.LockDir, domain)!;
        held.Record(new LockRecord("status-run", Environment.ProcessId, "stat", domain, "stat-1a2b3c_ci_local", "local", "local",
            run, Path.Combine(run, "abra"), DateTimeOffset.UtcNow) { Target = "Recipe" });

        var live = await Harness.RunAsync(["--target=Status", $"--lock-dir={_ws.LockDir}"]);
        Assert.True(live.ExitCode == 3, live.Output);
        var row = live.Output.Split('\n').Single(l => l.Contains(domain));
        foreach (var cell in (string[])["live", "stat", "status-run", "Recipe", "FetchRecipe", $"{Environment.ProcessId} alive"])
            Assert.Contains(cell, row);
        // The probe took no lock: the holder still holds it.
        Assert.Null(AppDomainLock.TryTakeExisting(held.Path));

        var json = await Harness.RunAsync(["--target=Status", $"--lock-dir={_ws.LockDir}", "--json"]);
        // stdout is the JSON alone, for a script to pipe on; the host's lines went to stderr.
        var report = JObject.Parse(json.Stdout!);
        Assert.Equal((3, true, "status-run"), (json.ExitCode, report["running"]!.Value<bool>(), report["runs"]![0]!["run_id"]!.Value<string>()));

        held.Release(unlink: true);
        var idle = await Harness.RunAsync(["--target=Status", $"--lock-dir={_ws.LockDir}"]);
        Assert.True(idle.ExitCode == 0, idle.Output);
        // The answer is the last line, after Cake's table.
        Assert.StartsWith("Status: nothing runs", idle.Output.TrimEnd().Split('\n')[^1]);
    }

    public void Dispose() => _ws.Dispose();
}
