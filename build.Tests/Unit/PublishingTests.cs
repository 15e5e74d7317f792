using System.Reflection;
using System.Text.RegularExpressions;
using RecipeCi.Context;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Publishing;
using RecipeCi.Reports;
using RecipeCi.Results;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Tests.Unit;

public sealed class PublishingTests
{
    [Theory]
    [InlineData("!testme", TriggerMode.Full)]
    [InlineData("  !testme\n", TriggerMode.Full)]
    [InlineData("!testme --quick", TriggerMode.Quick)]
    [InlineData("!testme --quick\r\n", TriggerMode.Quick)]
    public void Exactly_testme_and_testme_quick_are_triggers(string comment, TriggerMode mode) =>
        Assert.Equal(mode, TriggerParser.Parse(comment));

    [Theory]
    [InlineData("!testmexyz")]
    [InlineData("!testme foo")]
    [InlineData("!testme --quick now")]
    [InlineData("!testme  --quick")]
    [InlineData("please !testme")]
    [InlineData("!TESTME")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_trigger(string? comment) => Assert.Null(TriggerParser.Parse(comment));

    [Fact]
    public void Triggers_map_to_the_drone_stages_parameter_that_the_recipe_target_reads()
    {
        Assert.Equal("install,upgrade,backup_restore,custom,lint", TriggerParser.Stages(TriggerMode.Full));
        Assert.Equal("install,upgrade", TriggerParser.Stages(TriggerMode.Quick));
        Assert.False(TriggerParser.IsQuick(Lifecycle.TargetPlan.Rungs(TriggerParser.Stages(TriggerMode.Full))));
        Assert.True(TriggerParser.IsQuick(Lifecycle.TargetPlan.Rungs(TriggerParser.Stages(TriggerMode.Quick))));
        Assert.False(TriggerParser.IsQuick(Lifecycle.TargetPlan.Rungs(null)));
    }

    private static RunResult Run(Verdict verdict, string? reason = null) => new()
    {
        RunId = "drone-42", Recipe = "hello", Mode = "recipe", Ref = "38e5da74bccde114a035f4327e5826081e006a90", HeadVersion = "0.2.0+1.1",
        BaseVersion = "0.1.0+1.0", Driver = "local", Verdict = verdict, Reason = reason,
        Level = verdict == Verdict.Passed ? 2 : 1,
        Rungs = new()
        {
            [Rung.Install] = RungStatus.Pass, [Rung.Upgrade] = verdict == Verdict.Passed ? RungStatus.Pass : RungStatus.Fail,
            [Rung.BackupRestore] = RungStatus.Skip, [Rung.Custom] = RungStatus.Unverified, [Rung.Lint] = RungStatus.Gap,
        },
    };

    private static string? Drone(string name) => name == "DRONE_BUILD_LINK" ? "https://drone.example.org/coop-cloud/recipe-ci/42" : null;

    [Fact]
    public void Pr_comment_and_run_page_say_which_deploy_each_rung_judged()
    {
        StageResult Stage(StageId id, StageStatus status) => new() { Name = id.ToString(), Status = status };
        var template = Run(Verdict.BaselineBroken);
        var broken = new RunResult
        {
            RunId = template.RunId, Recipe = template.Recipe, Mode = template.Mode, Ref = template.Ref, BaseVersion = template.BaseVersion, Verdict = Verdict.BaselineBroken,
            Rungs = template.Rungs,
            Stages = [Stage(StageId.AwaitBaseConvergence, StageStatus.BaselineBroken), Stage(StageId.ChaosRedeploy, StageStatus.Unverified), Stage(StageId.ColdInstallHead, StageStatus.Passed)],
        };
        var md = PrComment.Render(broken, quick: false, Drone);
        Assert.Contains("| L1 | install | ✔ pass | the head installed cold (ColdInstallHead) |", md);
        Assert.Contains("| L2 | upgrade | ✘ fail | 0.1.0+1.0 upgraded to the head |", md);
        Assert.Contains("| L4 | custom | ⊘ unverified | the head installed cold (ColdInstallHead) |", md);
        Assert.Contains("The base release would not install, so the head was installed cold", md);

        var green = new RunResult { BaseVersion = "0.1.0+1.0", Stages = [Stage(StageId.ChaosRedeploy, StageStatus.Passed), Stage(StageId.ColdInstallHead, StageStatus.Skipped)] };
        Assert.Equal("the base release 0.1.0+1.0 installed fresh", green.DeploysJudged[Rung.Install]);
        Assert.Equal("the head upgraded in place", green.DeploysJudged[Rung.Custom]);
        var restoreFailed = new RunResult { Stages = [Stage(StageId.VerifyMarker, StageStatus.Failed), Stage(StageId.ReinstallHead, StageStatus.Passed)] };
        Assert.Equal("the head installed fresh", restoreFailed.DeploysJudged[Rung.BackupRestore]);
        Assert.Equal("the head installed cold again after backup/restore failed (ReinstallHead)", restoreFailed.DeploysJudged[Rung.Custom]);
        Assert.False(restoreFailed.DeploysJudged.ContainsKey(Rung.Upgrade));
        Assert.Contains("judged: the head installed cold again after backup/restore failed (ReinstallHead)", RunPage.Render(restoreFailed, new TimelineFile(1, null, [])));
    }

    [Fact]
    public void Pr_comment_carries_level_verdict_rung_table_reason_and_links()
    {
        var md = PrComment.Render(Run(Verdict.RolledBack, reason: "AwaitHeadConvergence: swarm rolled the head back"), quick: false, Drone);
        Assert.StartsWith("<!-- recipe-ci:hello -->", md);
        Assert.Contains("### Recipe CI: hello ROLLED_BACK, level L1", md);
        Assert.Contains("| L1 | install | ✔ pass |", md);
        Assert.Contains("| L2 | upgrade | ✘ fail |", md);
        Assert.Contains("| L3 | backup_restore | – skip |", md);
        Assert.Contains("| L4 | custom | ⊘ unverified |", md);
        Assert.Contains("| L5 | lint | ◌ gap (could not run, not declared not applicable: blocks the level) |", md);
        Assert.Contains("**Why:** AwaitHeadConvergence: swarm rolled the head back", md);
        Assert.Contains("[Drone build](https://drone.example.org/coop-cloud/recipe-ci/42)", md);
        Assert.Contains("Head `38e5da74bccd` (0.2.0+1.1), upgraded from `0.1.0+1.0`", md);
        Assert.Contains("Full run", md);
        Assert.Contains("Quick run", PrComment.Render(Run(Verdict.Passed), quick: true, Drone));
        Assert.DoesNotContain("installed cold", md);
    }

    [Fact]
    public void Pr_comment_says_when_the_later_rungs_ran_on_the_head_installed_cold()
    {
        var run = Run(Verdict.RolledBack, reason: "AwaitHeadConvergence: swarm rolled the head back");
        run.Stages.Add(new StageResult { Name = nameof(StageId.ColdInstallHead), Folder = "17-ColdInstallHead", Status = StageStatus.Passed });
        Assert.Contains("the head was then installed cold: backup/restore and custom checks were tried on that install", PrComment.Render(run, quick: false, Drone));
    }

    [Fact]
    public void A_refused_run_fails_its_commit_status_and_its_comment_says_refused_and_what_the_operator_allowed()
    {
        var refused = Run(Verdict.Refused, reason: "VetHead: refused before deploying the head: L009 docker-socket at compose.yml:7: ...");
        Assert.Equal("failure", CommitStatus.From(refused, false, Drone).State);
        var md = PrComment.Render(refused, quick: false, Drone);
        Assert.Contains("hello REFUSED", md);
        Assert.Contains("**Refused:**", md);
        Assert.DoesNotContain("Allowed by the operator", md);

        var allowed = new RunResult
        {
            Recipe = "hello", Verdict = Verdict.Passed, Allow = ["docker-socket"],
            Allowed = [Lint.LintRules.DockerSocket.At("compose.yml", null, "services.app mounts /var/run/docker.sock") with { Line = 7 }],
        };
        var ok = PrComment.Render(allowed, quick: false, Drone);
        Assert.Contains("**Allowed by the operator** (recipes.yaml `allow: [docker-socket]`): L009 docker-socket at `compose.yml:7`", ok);
    }

    [Fact]
    public void Commit_status_says_success_failure_or_error_with_a_cut_description()
    {
        Assert.Equal(new CommitStatus("success", "recipe-ci/hello", "L2 passed", "https://drone.example.org/coop-cloud/recipe-ci/42"), CommitStatus.From(Run(Verdict.Passed), false, Drone));
        Assert.Equal("failure", CommitStatus.From(Run(Verdict.BaselineBroken), false, Drone).State);
        Assert.Equal("failure", CommitStatus.From(Run(Verdict.Unverified), false, Drone).State);
        Assert.Equal("error", CommitStatus.From(Run(Verdict.Error), false, Drone).State);
        Assert.Equal("recipe-ci/hello/quick", CommitStatus.From(Run(Verdict.Passed), true, Drone).Context);
        var longReason = CommitStatus.From(Run(Verdict.Failed, reason: new string('x', 500)), false, _ => null);
        Assert.Equal(140, longReason.Description.Length);
        Assert.Null(longReason.TargetUrl);
    }

    [Fact]
    public void Publish_writes_both_files_next_to_results_and_an_error_when_there_are_none()
    {
        var dir = Directory.CreateTempSubdirectory("recipe-ci-publish-").FullName;
        try
        {
            var results = Run(Verdict.Passed).Write(Path.Combine(dir, "ok"), ArtifactWriter.NoSecrets);
            Assert.Equal("success", new Publisher(ArtifactWriter.NoSecrets, Drone).Write(results, "hello", false).Status.State);
            Assert.Contains("level L2", File.ReadAllText(Path.Combine(dir, "ok", PrComment.FileName)));
            Assert.Contains("\"state\": \"success\"", File.ReadAllText(Path.Combine(dir, "ok", CommitStatus.FileName)));

            var missing = Path.Combine(dir, "crashed", RunResult.FileName);
            Assert.Equal("error", new Publisher(ArtifactWriter.NoSecrets, Drone).Write(missing, "hello", false).Status.State);
            Assert.Contains("ERROR, no verdict", File.ReadAllText(Path.Combine(dir, "crashed", PrComment.FileName)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_comment_and_the_status_link_to_the_run_page_where_the_artifacts_are_served()
    {
        static string? Served(string name) => name switch
        {
            RunPageLink.Variable => "https://ci.example.org/artifacts/",
            _ => Drone(name),
        };
        const string page = "https://ci.example.org/artifacts/runs/drone-42/hello/report.html";
        Assert.Contains($"[run page]({page})", PrComment.Render(Run(Verdict.RolledBack, "AwaitHeadConvergence: rolled back"), false, Served));
        Assert.Equal(page, CommitStatus.From(Run(Verdict.RolledBack), false, Served).TargetUrl);
        // Not configured: the Drone build, as before, and no dead link.
        Assert.DoesNotContain("run page", PrComment.Render(Run(Verdict.Passed), false, Drone));
        Assert.Equal("https://drone.example.org/coop-cloud/recipe-ci/42", CommitStatus.From(Run(Verdict.Passed), false, Drone).TargetUrl);
    }

    [Fact]
    public void The_comment_links_each_browser_checks_screenshots_where_the_artifacts_are_served_and_names_them_otherwise()
    {
        static string? Served(string name) => name == RunPageLink.Variable ? "https://ci.example.org/artifacts" : Drone(name);
        var run = ScreenshotRun.Of(Run(Verdict.Failed));

        Assert.Contains("**Screenshots:** admin logs in (CustomChecks): " +
            "[logged-in.png](https://ci.example.org/artifacts/runs/drone-42/hello/21-CustomChecks/checks/admin-logs-in/logged-in.png), " +
            "[failure.png](https://ci.example.org/artifacts/runs/drone-42/hello/21-CustomChecks/checks/admin-logs-in/failure.png)\n",
            PrComment.Render(run, false, Served));
        Assert.Contains("**Screenshots:** admin logs in (CustomChecks): `runs/drone-42/hello/21-CustomChecks/checks/admin-logs-in/logged-in.png`, " +
            "`runs/drone-42/hello/21-CustomChecks/checks/admin-logs-in/failure.png`\n", PrComment.Render(run, false, Drone));
        Assert.DoesNotContain("Screenshots", PrComment.Render(Run(Verdict.Passed), false, Served));
    }
}

/// <summary>The Drone pipelines call only targets that exist, with the parameters the bridge sends.</summary>
public sealed class DroneConfigTests
{
    private static List<YamlMappingNode> Pipelines()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoRoot.Path, ".drone.yml"))));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[new YamlScalarNode(key)]).Value!;

    private static IEnumerable<string> Commands(YamlMappingNode pipeline) =>
        ((YamlSequenceNode)pipeline.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()
        .SelectMany(step => ((YamlSequenceNode)step.Children[new YamlScalarNode("commands")]).Children.Select(c => ((YamlScalarNode)c).Value!));

    [Fact]
    public void Every_target_a_pipeline_calls_is_a_task_of_the_build()
    {
        var tasks = new CakeHost().AddAssembly(typeof(RecipeContext).Assembly).DiscoverTasks().Select(t => t.Name).ToHashSet();
        var called = Pipelines().SelectMany(Commands)
            .SelectMany(c => Regex.Matches(c, @"--target=(\S*)").Select(m => m.Groups[1].Value)).ToList();
        Assert.NotEmpty(called);
        Assert.All(called, target => Assert.True(tasks.Contains(target), $".drone.yml calls --target={target}, which is not a task ({string.Join(", ", tasks.Order())})"));
        Assert.Superset(new HashSet<string> { "Recipe", "Publish", "Sweep", "Janitor" }, called.ToHashSet());
    }

    private static IEnumerable<string> Trigger(YamlMappingNode pipeline, string key) =>
        ((YamlMappingNode)pipeline.Children[new YamlScalarNode("trigger")]).Children.TryGetValue(new YamlScalarNode(key), out var values)
            ? ((YamlSequenceNode)values).Children.Select(v => ((YamlScalarNode)v).Value!) : [];

    /// <summary>The value of --option in each command that calls the target (null where it is not given).</summary>
    private static List<string?> OptionOf(IEnumerable<YamlMappingNode> pipelines, string target, string option) =>
        pipelines.SelectMany(Commands).Where(c => c.Contains($"--target={target} "))
            .Select(c => Regex.Match(c, $@"--{option}=(\S+)") is { Success: true } m ? m.Groups[1].Value : null).ToList();

    [Fact]
    public void Every_step_that_rewrites_the_artifact_index_reads_the_state_folder_the_sweeps_write()
    {
        // A !testme run rewrites the index too: with another state folder it would lose the canonical and history columns.
        var pipelines = Pipelines();
        var given = OptionOf(pipelines, "Recipe", "state-dir").Concat(OptionOf(pipelines, "Sweep", "state-dir")).ToList();
        Assert.True(given.Count >= 2, "the Recipe and Sweep steps");
        var shared = Assert.Single(given.Distinct());
        Assert.NotNull(shared);
    }

    [Fact]
    public void The_janitor_runs_on_its_own_cron_over_the_lock_folder_and_artifacts_of_the_runs_it_cleans_up_after()
    {
        var pipelines = Pipelines();
        var janitor = Assert.Single(pipelines, p => Trigger(p, "cron").Contains("janitor"));
        Assert.Equal(["cron"], Trigger(janitor, "event"));
        Assert.Equal(["janitor"], Trigger(janitor, "cron"));
        var command = Assert.Single(Commands(janitor));
        Assert.StartsWith("./build.sh --target=Janitor ", command);
        // Without it the janitor takes only what a lock file records: runs of other lock folders look the same on the swarm.
        Assert.DoesNotContain("--reap-unrecorded", command);
        // Given, not left to defaults, and the same everywhere: the runs it reaps after are recorded there.
        foreach (var option in new[] { "lock-dir", "artifacts" })
        {
            var shared = Assert.Single(OptionOf(pipelines, "Recipe", option).Concat(OptionOf(pipelines, "Sweep", option)).Distinct());
            Assert.NotNull(shared);
            Assert.Equal([shared], OptionOf([janitor], "Janitor", option));
        }
        Assert.DoesNotContain(pipelines, p => p != janitor && Trigger(p, "cron").Contains("janitor"));
    }

    [Fact]
    public void Recipe_ci_tests_itself_on_push_to_main_and_on_its_pull_requests_with_its_own_ci_script()
    {
        var self = Assert.Single(Pipelines(), p => Trigger(p, "event").Contains("push"));
        Assert.Equal(["pull_request", "push"], Trigger(self, "event").Order(StringComparer.Ordinal));
        Assert.Equal(["main"], Trigger(self, "branch"));
        Assert.Equal(["bash .ci/run"], Commands(self));
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, ".ci", "run")));
    }

    [Fact]
    public void The_recipe_pipeline_uses_the_bridge_parameters_and_the_sweep_covers_every_shard()
    {
        var pipelines = Pipelines();
        Assert.All(pipelines, p => Assert.Equal("exec", Scalar(p, "type")));
        var recipe = Commands(pipelines.Single(p => Scalar(p, "name") == "recipe-ci")).ToList();
        foreach (var parameter in new[] { "--recipe=\"$RECIPE\"", "--pr=\"$PR\"", "--ref=\"$REF\"", "--stages=\"$STAGES\"" })
            Assert.Contains(recipe, c => c.Contains(parameter));
        var shards = pipelines.Where(p => Scalar(p, "name").StartsWith("sweep", StringComparison.Ordinal))
            .SelectMany(Commands).Select(c => Regex.Match(c, @"--shard=(\d+)/(\d+)")).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();
        Assert.NotEmpty(shards);
        var n = shards[0].Item2;
        Assert.All(shards, s => Assert.Equal(n, s.Item2));
        Assert.Equal(Enumerable.Range(1, n), shards.Select(s => s.Item1).Order());
    }
}
