using RecipeCi.Abra;
using RecipeCi.Lint;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.Verdicts;

namespace RecipeCi.Lifecycle;

/// <summary>
/// The Lint stage: clones the run's recipe into its own ABRA_DIR at exactly the tested ref (the
/// run's tree may be dirty with an overlay and is moved by deploys), runs Recipe CI's rules and,
/// when the real abra is the driver, <c>abra recipe lint</c>. Any error finding fails the stage;
/// inside Recipe the stage is verdict-neutral, so that costs the lint rung only, while in the Lint
/// target it is the verdict (see <c>StageTask.KindIn</c>).
/// </summary>
/// <param name="driver">The abra driver of the run (<c>cli</c> or <c>local</c>): only the real abra lints too.</param>
/// <param name="mode">What <c>--abra</c> asked for, to say why abra recipe lint did not run.</param>
public sealed class LintRecipe(RecipeEntry entry, RunFolders folders, CommandRunner runner, string driver, AbraMode mode)
{
    public const string TreeFolder = "lint-abra";

    public async Task<LintReport> RunAsync(RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var head = plan.HeadRef;
        var dir = new AbraDir(Path.Combine(folders.Run, TreeFolder));
        var path = dir.RecipePath(entry.Name);
        stage.Log($"lint: cloning the recipe at {head[..12]} into {path}");
        // A local clone hardlinks the whole object store, so a PR head on no branch is there too.
        var repo = await GitRepository.CloneAsync(folders.RecipePath, path, runner, ct);
        await repo.CheckoutAsync(head, ct);
        if (await repo.HeadAsync(ct) != head || await repo.IsDirtyAsync(ct))
            throw new StageFailure(StageStatus.Error, $"the lint clone {path} is not a clean checkout of {head}");
        stage.Write("git.txt", await repo.EvidenceAsync(ct));

        var tags = (await repo.ReleaseTagsAsync(ct)).Where(t => t.Commit == head).Select(t => t.Name).ToList();
        var findings = RecipeLinter.Lint(RecipeTree.Load(path, tags, entry.Env)).ToList();
        var abra = await AbraLintAsync(dir, stage, ct);
        findings.AddRange(abra.Rows.Where(r => r.Failed).Select(r => r.ToFinding()));

        var report = new LintReport(entry.Name, head, tags, findings, abra);
        stage.WriteJson("lint.json", report);
        stage.Write("lint.txt", report.ToText());
        stage.Log($"lint: {report.Errors} error(s), {report.Warnings} warning(s)" + (abra.Ran ? "" : $"; abra recipe lint not run: {abra.NotRunBecause}"));

        if (report.Errors > 0)
        {
            stage.Evidence.AddRange(["lint.txt", "lint.json"]);
            var first = findings.Where(f => f.Severity == LintSeverity.Error).Take(3).Select(f => $"{f.Rule} {f.Name} at {f.Where}");
            throw new StageFailure(StageStatus.Failed, $"{report.Errors} lint error(s): {string.Join("; ", first)}{(report.Errors > 3 ? "; ..." : "")}");
        }
        if (abra.Problem is not null)
        {
            stage.Evidence.Add("lint.txt");
            throw new StageFailure(StageStatus.Error, $"abra recipe lint gave no verdict: {abra.Problem}");
        }
        return report;
    }

    private async Task<AbraLintRun> AbraLintAsync(AbraDir dir, StageRecorder stage, CancellationToken ct)
    {
        if (driver != "cli")
            return AbraLintRun.NotRun(mode == AbraMode.Local ? "the run uses the local driver (--abra=local)" : "no abra on PATH");
        stage.Log("lint: abra recipe lint (under a PTY)");
        var result = await new AbraRecipeLint(runner).RunAsync(dir, entry.Name, ct);
        if (result.ExitCode is -1 or 127) return new AbraLintRun(true, null, result.ExitCode, [], result.Stderr);
        AbraLintOutput output;
        try
        {
            output = AbraLintTable.Parse(result.Output);
        }
        catch (FormatException ex)
        {
            return new AbraLintRun(true, null, result.ExitCode, [], ex.Message);
        }
        // The exit code only says whether abra hit a FATA: the table is the result.
        var problem = output.Fatal is not null ? $"abra stopped: {output.Fatal}"
            : output.Rows.Count == 0 ? $"no lint table in its output (exit {result.ExitCode})"
            : null;
        return new AbraLintRun(true, null, result.ExitCode, output.Rows, problem);
    }
}
