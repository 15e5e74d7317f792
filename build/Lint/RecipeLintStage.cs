using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Lifecycle;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Lint;

/// <summary>
/// The Lint stage: clones the run's recipe into its own ABRA_DIR at exactly the tested ref (the
/// run's tree may be dirty with an overlay and is moved by deploys), runs Recipe CI's rules and,
/// when the real abra is the driver, <c>abra recipe lint</c>. Any error finding fails the stage;
/// inside Recipe the stage is verdict-neutral, so that costs the lint rung only, while in the Lint
/// target it is the verdict (see <c>StageTask.KindIn</c>).
/// </summary>
public static class RecipeLintStage
{
    public const string TreeFolder = "lint-abra";

    public static async Task<LintReport> RunAsync(RecipeRun run, RunPlan plan, StageRecorder stage, CancellationToken ct)
    {
        var head = plan.HeadRef;
        var dir = new AbraDir(Path.Combine(run.RunDirectory, TreeFolder));
        var path = dir.RecipePath(run.Entry.Name);
        stage.Log($"lint: cloning the recipe at {head[..12]} into {path}");
        // A local clone hardlinks the whole object store, so a PR head on no branch is there too.
        var repo = await GitRepository.CloneAsync(run.RecipePath, path, run.Runner, ct);
        await repo.CheckoutAsync(head, ct);
        if (await repo.HeadAsync(ct) != head || await repo.IsDirtyAsync(ct))
            throw new StageFailure(StageStatus.Error, $"the lint clone {path} is not a clean checkout of {head}");
        await GitEvidence.WriteAsync(repo, stage, "git.txt", ct);

        var tags = (await repo.ReleaseTagsAsync(ct)).Where(t => t.Commit == head).Select(t => t.Name).ToList();
        var findings = RecipeLinter.Lint(RecipeTree.Load(path, tags, run.Entry.Env)).ToList();
        var abra = await AbraLintAsync(run, dir, stage, ct);
        findings.AddRange(abra.Rows.Where(r => r.Failed).Select(r => r.ToFinding()));

        var report = new LintReport(run.Entry.Name, head, tags, findings, abra);
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

    private static async Task<AbraLintRun> AbraLintAsync(RecipeRun run, AbraDir dir, StageRecorder stage, CancellationToken ct)
    {
        if (run.Abra.Kind != "cli")
            return AbraLintRun.NotRun(run.Options.Abra == AbraMode.Local ? "the run uses the local driver (--abra=local)" : "no abra on PATH");
        stage.Log("lint: abra recipe lint (under a PTY)");
        var result = await new AbraRecipeLint(run.Runner).RunAsync(dir, run.Entry.Name, ct);
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
