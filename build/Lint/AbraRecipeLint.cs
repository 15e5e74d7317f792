using RecipeCi.Abra;
using RecipeCi.Processes;

namespace RecipeCi.Lint;

/// <summary>
/// Runs the real <c>abra recipe lint -n &lt;recipe&gt; --offline</c> on a recipe tree under its own ABRA_DIR.
/// abra draws its table only on a terminal, so it runs under <c>script</c>, which gives it a PTY.
/// </summary>
public sealed class AbraRecipeLint(CommandRunner runner)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public Task<CommandResult> RunAsync(AbraDir dir, string recipe, CancellationToken ct)
    {
        // Recipe names are [a-z0-9-] (the catalogue checks), so they need no quoting in the shell line.
        return runner.RunAsync(new Command("script", "-qec", $"abra recipe lint -n {recipe} --offline", "/dev/null")
        {
            Environment = new Dictionary<string, string?> { ["ABRA_DIR"] = dir.Root },
            Check = false,
            Timeout = Budget,
        }, ct);
    }
}
