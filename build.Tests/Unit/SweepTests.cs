using Cake.Core;
using Newtonsoft.Json.Linq;
using RecipeCi.Bench;
using RecipeCi.Context;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Machine;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Tests.Support;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

public sealed class SweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-sweep-unit-").FullName;

    private static ReleaseTag Tag(string version, string commit = "c0ffee0000000000000000000000000000000000") =>
        new(version, commit, RecipeVersion.Parse(version));

    private static CanonicalRecord Canon(string version) => new("r", version, "abc", "sweep-1", 2, DateTimeOffset.Parse("2026-01-02T03:04:05Z"));

    [Fact]
    public void Shards_are_balanced_disjoint_complete_and_the_same_on_every_runner()
    {
        string[] names = ["e", "a", "d", "b", "c"];
        var shards = Enumerable.Range(1, 3).Select(i => new Shard(i, 3).Take(names, n => n)).ToList();
        Assert.Equal(["a", "d"], shards[0]);
        Assert.Equal(["b", "e"], shards[1]);
        Assert.Equal(["c"], shards[2]);
        Assert.Equal(names.Order(), shards.SelectMany(s => s).Order());
        // Another runner reads the recipes in another order: same split.
        Assert.Equal(shards[1], new Shard(2, 3).Take(names.Reverse(), n => n));
    }

    [Theory]
    [InlineData("3/2")]
    [InlineData("0/2")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Bad_shards_are_one_clear_usage_error(string shard)
    {
        var ex = Assert.Throws<BadInputException>(() => Shard.Parse(shard));
        Assert.Contains($"--shard '{shard}' must be i/n with 1 <= i <= n", ex.Message);
    }

    [Theory]
    [InlineData("parallel", "0", "--parallel must be a whole number from 1 to 16")]
    [InlineData("parallel", "two", "--parallel must be a whole number from 1 to 16")]
    [InlineData("force", "maybe", "--force takes true or false")]
    [InlineData("recipes", ",", "--recipes is empty")]
    public void Bad_sweep_options_are_usage_errors(string name, string value, string message)
    {
        var ex = Assert.Throws<BadInputException>(() => RunOptions.Parse(new CakeArguments(new[] { (name, value) }.ToLookup(x => x.Item1, x => x.Item2)), _ => null));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Sweep_options_are_typed()
    {
        var o = RunOptions.Parse(new CakeArguments(new[] { ("recipes", "b, a,b"), ("shard", "2/3"), ("parallel", "4"), ("force", "true"), ("artifacts", "/x") }
            .ToLookup(x => x.Item1, x => x.Item2)), _ => null);
        Assert.Equal(["b", "a"], o.Recipes!);
        Assert.Equal(new Shard(2, 3), o.Shard);
        Assert.Equal(4, o.Parallel);
        Assert.True(o.Force);
        Assert.Equal(Path.Combine("/x", "state"), o.StateDir);
    }

    [Fact]
    public void Decision_runs_only_what_is_newer_than_canonical_unless_forced()
    {
        Assert.Equal((false, "never released"), Short(SweepDecision.Decide(null, null, force: true)));
        Assert.Equal((true, "1.1.0+2: no canonical release yet"), Short(SweepDecision.Decide(Tag("1.1.0+2"), null, false), full: true));
        Assert.True(SweepDecision.Decide(Tag("1.1.0+2"), Canon("1.0.0+1"), false).Run);
        var same = SweepDecision.Decide(Tag("1.1.0+2"), Canon("1.1.0+2"), false);
        Assert.False(same.Run);
        Assert.StartsWith(SweepDecision.NoNewVersion, same.Reason);
        Assert.Contains("run sweep-1", same.Reason);
        Assert.False(SweepDecision.Decide(Tag("1.0.0+1"), Canon("1.1.0+2"), false).Run);
        Assert.True(SweepDecision.Decide(Tag("1.1.0+2"), Canon("1.1.0+2"), force: true).Run);
    }

    private static (bool, string) Short(SweepDecision d, bool full = false) => (d.Run, full ? d.Reason : d.Reason.Split(':')[0]);

    [Fact]
    public void Changes_compare_with_the_last_sweep_that_ran_the_recipe()
    {
        static LastOutcome Was(Verdict v, Classification? c = null) => new("r", "s0", v, "1.0.0", DateTimeOffset.UtcNow) { Classification = c };
        Assert.Equal(Change.NewlyFailing, Changes.Of(true, false, Was(Verdict.Passed)));
        Assert.Equal(Change.NewlyFailing, Changes.Of(true, false, null));
        Assert.Equal(Change.StillFailing, Changes.Of(true, false, Was(Verdict.RolledBack)));
        Assert.Equal(Change.NewlyPassing, Changes.Of(true, true, Was(Verdict.Error)));
        Assert.Equal(Change.StillPassing, Changes.Of(true, true, Was(Verdict.Passed)));
        Assert.Equal(Change.FirstPass, Changes.Of(true, true, null));
        Assert.Equal(Change.NotRun, Changes.Of(false, false, Was(Verdict.Passed)));
        // Flaky last time (passed alone): a failure now is news, not "still failing".
        Assert.Equal(Change.NewlyFailing, Changes.Of(true, false, Was(Verdict.Failed, Classification.Flaky)));
        Assert.Equal(Change.StillFailing, Changes.Of(true, false, Was(Verdict.Failed, Classification.Deterministic)));
    }

    [Fact]
    public void Re_runs_classify_a_red_recipe_by_whether_it_passed_alone_and_where_it_stopped()
    {
        static ConfirmationRun Alone(Verdict v, StageId? at) => new(1, v, at, null, 1, false, 1, null, null);
        Assert.Equal(Classification.Flaky, Confirmations.Classify(Verdict.Failed, StageId.CustomChecks, [Alone(Verdict.Passed, null)]));
        Assert.Equal(Classification.Deterministic, Confirmations.Classify(Verdict.RolledBack, StageId.AwaitHeadConvergence, [Alone(Verdict.RolledBack, StageId.AwaitHeadConvergence)]));
        Assert.Equal(Classification.Unstable, Confirmations.Classify(Verdict.RolledBack, StageId.AwaitHeadConvergence, [Alone(Verdict.TimedOut, StageId.AwaitHeadConvergence)]));
        Assert.Equal(Classification.Unstable, Confirmations.Classify(Verdict.Failed, StageId.CustomChecks, [Alone(Verdict.Failed, StageId.AwaitHeadHealthy)]));
        // One green re-run among red ones: it can pass, so it is flaky, not a defect.
        Assert.Equal(Classification.Flaky, Confirmations.Classify(Verdict.Failed, StageId.CustomChecks, [Alone(Verdict.Failed, StageId.CustomChecks), Alone(Verdict.Passed, null)]));
    }

    [Fact]
    public void The_stage_a_sweep_line_stopped_at_is_written_by_its_name_as_results_json_names_stages()
    {
        var line = new RecipeSweepResult { Recipe = "r", StoppedAt = StageId.AwaitHeadConvergence, Canonical = new(false, "", null) };
        var json = Files.JsonConvention.Serialize(line);
        Assert.Contains("\"stopped_at\": \"AwaitHeadConvergence\"", json);
        Assert.Equal(StageId.AwaitHeadConvergence, Newtonsoft.Json.JsonConvert.DeserializeObject<RecipeSweepResult>(json, Files.JsonConvention.Settings)!.StoppedAt);
    }

    [Fact]
    public void Remote_release_tags_are_the_version_tags_oldest_first_as_the_base_choice_orders_them()
    {
        var lsRemote = string.Join('\n',
            "1111111111111111111111111111111111111111\trefs/tags/1.10.0+3",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\trefs/tags/1.10.0+3^{}",
            "2222222222222222222222222222222222222222\trefs/tags/1.9.0+2",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\trefs/tags/1.9.0+2^{}",
            "cccccccccccccccccccccccccccccccccccccccc\trefs/tags/2.0.0+9",   // lightweight: a release too
            "3333333333333333333333333333333333333333\trefs/tags/latest",
            "dddddddddddddddddddddddddddddddddddddddd\trefs/tags/latest^{}", // not a version
            "4444444444444444444444444444444444444444\trefs/tags/v2.0.0+10",
            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\trefs/tags/v2.0.0+10^{}");
        var tags = GitRepository.ParseRemoteTags(lsRemote);
        // Upstream parts compare as numbers (+9 before +10), whatever the v prefix.
        Assert.Equal(["1.9.0+2", "1.10.0+3", "2.0.0+9", "v2.0.0+10"], tags.Select(t => t.Name));
        Assert.Equal(new string('a', 40), tags[1].Commit);
        Assert.Equal(new string('c', 40), tags[2].Commit);
        Assert.Equal(new string('e', 40), tags[3].Commit);
    }

    [Fact]
    public void Overlapping_intervals_are_counted_once()
    {
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        (DateTimeOffset, DateTimeOffset) I(double a, double b) => (t0.AddSeconds(a), t0.AddSeconds(b));
        Assert.Equal(6, HarnessOverhead.Covered([I(1, 3), I(2, 5), I(7, 8), I(7.5, 8), I(9, 20)], t0, t0.AddSeconds(10)), 3);
        Assert.Equal(0, HarnessOverhead.Covered([], t0, t0.AddSeconds(10)));
    }

    [Fact]
    public void Harness_overhead_leaves_out_the_waits_on_swarm_and_the_wait_for_admission()
    {
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var result = new RunResult
        {
            Stages =
            [
                new() { Name = "RunAdmission", StartedAt = t0.AddSeconds(2), DurationS = 21 },
                new() { Name = "AwaitBaseConvergence", StartedAt = t0.AddSeconds(25), DurationS = 10, WaitsOnSwarm = true },
            ],
            // Waited 20 s for another run's reservation, from its first look one second into the stage.
            Admission = new() { Admitted = true, StartedAt = t0.AddSeconds(3), WaitedS = 20 },
        };
        // 40 s in all: 10 on swarm, 20 for admission; no stage.json, so no commands.
        Assert.Equal(10, new HarnessOverhead(_dir).Measure(result, t0, TimeSpan.FromSeconds(40)), 3);
        Assert.Equal(30, new HarnessOverhead(_dir).Measure(new RunResult { Stages = result.Stages }, t0, TimeSpan.FromSeconds(40)), 3);
    }

    [Fact]
    public void Empty_enrolment_and_empty_shard_are_errors_never_an_empty_sweep()
    {
        var empty = Catalog.Parse("recipes: {}\n", "cat.yaml");
        Assert.Contains("enrols nothing", Assert.Throws<ConfigException>(() => SweepPlan.Select(empty, null, Shard.Whole)).Message);
        var two = Catalog.Parse("recipes:\n  a: {repository: /a}\n  b: {repository: /b}\n", "cat.yaml");
        Assert.Contains("holds none of the 2 recipes", Assert.Throws<ConfigException>(() => SweepPlan.Select(two, null, new Shard(3, 3))).Message);
        Assert.Contains("unknown recipe 'c'", Assert.Throws<ConfigException>(() => SweepPlan.Select(two, ["c"], Shard.Whole)).Message);
        Assert.Equal(["b"], SweepPlan.Select(two, ["b"], Shard.Whole).Select(r => r.Name));
    }

    private SweepItem Item(string recipe = "r", string? canonical = null) =>
        new(new RecipeEntry(recipe, "/repo", null, HealthCheck.Default, Timeouts.Default, null, new Dictionary<string, string>()),
            Tag("1.1.0+2", new string('a', 40)), canonical is null ? null : Canon(canonical), null, new SweepDecision(true, "test"));

    private static RunResult Result(Verdict verdict, string mode = "recipe", string? pr = null, string? gitRef = null) => new()
    {
        RunId = "sweep-2", Recipe = "r", Mode = mode, Pr = pr, Ref = gitRef ?? new string('a', 40), Verdict = verdict, Level = 2,
    };

    [Fact]
    public void Canonical_is_written_only_after_a_green_cold_run_on_the_release_and_read_back()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        string[] refused =
        [
            new CanonicalPromotion(store, TimeProvider.System).Apply(Item(), Result(Verdict.RolledBack)).Note,
            new CanonicalPromotion(store, TimeProvider.System).Apply(Item(), Result(Verdict.Passed, mode: "upgrade")).Note,
            new CanonicalPromotion(store, TimeProvider.System).Apply(Item(), Result(Verdict.Passed, pr: "7")).Note,
            new CanonicalPromotion(store, TimeProvider.System).Apply(Item(), Result(Verdict.Passed, gitRef: new string('b', 40))).Note,
        ];
        Assert.All(refused, n => Assert.StartsWith("not written:", n));
        Assert.Null(store.ReadCanonical("r"));

        var written = new CanonicalPromotion(store, TimeProvider.System).Apply(Item(), Result(Verdict.Passed));
        Assert.True(written.Written);
        Assert.Equal(("1.1.0+2", new string('a', 40), "sweep-2", 2), (written.OnDisk!.Version, written.OnDisk.Commit, written.OnDisk.RunId, written.OnDisk.Level));
        Assert.Equal(written.OnDisk, store.ReadCanonical("r"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(store.CanonicalPath("r"))!, "*.tmp"));
    }

    [Fact]
    public void A_failed_canonical_write_is_reported_as_failed_never_as_written()
    {
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "canonical"), "a file where the folder should be");
        var outcome = new CanonicalPromotion(new CanonicalStateStore(state), TimeProvider.System).Apply(Item(), Result(Verdict.Passed));
        Assert.False(outcome.Written);
        Assert.StartsWith("write failed:", outcome.Note);
        Assert.Null(outcome.OnDisk);
    }

    [Fact]
    public async Task A_child_that_crashes_without_results_is_an_error_line_with_its_exit_code_and_output()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        var runner = new SweepRunner
        {
            SweepId = "s1", Artifacts = Path.Combine(_dir, "artifacts"), SweepDirectory = Path.Combine(_dir, "artifacts", "sweeps", "s1"),
            State = store, Parallel = 2, Time = TimeProvider.System,
            ChildCommand = (i, _) => new Command("sh", "-c", i.Entry.Name switch
            {
                "boom" => "echo starting; echo 'Unhandled exception: boom' >&2; exit 134",
                "late" => "exit 139",
                _ => "exit 0",
            }),
        };
        // A process killed after its last results.json said "passed" did not pass.
        Result(Verdict.Passed).Write(runner.RunDirectory("late"), ArtifactWriter.NoSecrets);
        var running = runner.Start([Item("boom"), Item("quiet"), Item("late")], CancellationToken.None);
        var boom = await running["boom"];
        var quiet = await running["quiet"];
        var late = await running["late"];

        Assert.Equal((Verdict.Error, true, 134), (boom.Verdict, boom.NoVerdict, boom.ExitCode));
        Assert.Contains("exited 134 without results.json", boom.Reason);
        Assert.Contains("Unhandled exception: boom", boom.Reason);
        Assert.Contains("Unhandled exception: boom", File.ReadAllText(Path.Combine(runner.SweepDirectory, boom.Log!)));
        // Exit 0 is not a pass without a verdict to back it.
        Assert.Equal((Verdict.Error, true), (quiet.Verdict, quiet.NoVerdict));
        Assert.Contains("exited 0 without results.json", quiet.Reason);
        Assert.Equal((Verdict.Error, true, 139), (late.Verdict, late.NoVerdict, late.ExitCode));
        Assert.Contains("exited 139 with the verdict 'passed' in results.json", late.Reason);
        Assert.Null(store.ReadCanonical("late"));
        Assert.Equal(Verdict.Error, store.ReadLastOutcome("boom")!.Verdict);
        Assert.Null(store.ReadCanonical("boom"));
        Assert.True(boom.Regressed && quiet.Regressed);
    }

    [Fact]
    public async Task Red_lines_are_re_run_after_every_run_ended_one_at_a_time_and_a_flaky_outcome_is_recorded()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        var order = Path.Combine(_dir, "confirm-order.txt");
        var runner = new SweepRunner
        {
            SweepId = "s3", Artifacts = Path.Combine(_dir, "artifacts"), SweepDirectory = Path.Combine(_dir, "artifacts", "sweeps", "s3"),
            State = store, Parallel = 3, Confirm = 1, Time = TimeProvider.System,
            // "flip" fails in the sweep and passes alone; "red" fails both times; "green" passes.
            ChildCommand = (i, runId) => new Command("sh", "-c",
                $"echo {runId}:{i.Entry.Name}:start >> {order}; sleep 0.2; echo {runId}:{i.Entry.Name}:end >> {order}; " +
                $"exit {(i.Entry.Name == "green" || (i.Entry.Name == "flip" && runId != "s3") ? 0 : 1)}"),
        };
        Result(Verdict.Passed).Write(runner.RunDirectory("green"), ArtifactWriter.NoSecrets);
        Result(Verdict.Failed).Write(runner.RunDirectory("flip"), ArtifactWriter.NoSecrets);
        Result(Verdict.Passed).Write(runner.RunDirectory("flip", 1), ArtifactWriter.NoSecrets);
        Result(Verdict.RolledBack).Write(runner.RunDirectory("red"), ArtifactWriter.NoSecrets);
        Result(Verdict.RolledBack).Write(runner.RunDirectory("red", 1), ArtifactWriter.NoSecrets);

        var running = runner.Start([Item("green"), Item("flip"), Item("red")], CancellationToken.None);
        var (green, flip, red) = (await running["green"], await running["flip"], await running["red"]);

        Assert.Equal((null, 0), (green.Classification, green.Confirmations.Count));
        Assert.Equal((Classification.Flaky, Verdict.Failed), (flip.Classification, flip.Verdict));
        Assert.Equal(Classification.Deterministic, red.Classification);
        Assert.Equal(("../../runs/s3-confirm1/flip", "logs/flip.confirm1.log"), (flip.Confirmations[0].Evidence, flip.Confirmations[0].Log));
        Assert.Equal(Classification.Flaky, store.ReadLastOutcome("flip")!.Classification);
        Assert.Null(store.ReadLastOutcome("red")!.Classification);
        // The classification lands in the sweep's own history entry: one sweep, one cell.
        Assert.Equal([("s3", Verdict.Failed, Classification.Flaky)], store.ReadHistory("flip").Sweeps.Select(e => (e.SweepId, e.Verdict, e.Classification)));
        Assert.Equal([("s3", Verdict.RolledBack, Classification.Deterministic)], store.ReadHistory("red").Sweeps.Select(e => (e.SweepId, e.Verdict, e.Classification)));
        // Three at once in the sweep; then the re-runs, each alone: none starts before the previous ended.
        var lines = File.ReadAllLines(order);
        var sweepEnds = lines.Select((l, n) => (l, n)).Where(x => x.l.StartsWith("s3:", StringComparison.Ordinal) && x.l.EndsWith(":end", StringComparison.Ordinal)).Max(x => x.n);
        Assert.Equal(["s3-confirm1:flip:start", "s3-confirm1:flip:end", "s3-confirm1:red:start", "s3-confirm1:red:end"], lines[(sweepEnds + 1)..]);
    }

    [Fact]
    public async Task Each_sweep_that_runs_a_recipe_adds_one_history_entry_and_a_shard_writes_only_its_own_recipes()
    {
        var store = new CanonicalStateStore(Path.Combine(_dir, "state"));
        // One sweep (or one shard of it) over these recipes, each ending with its verdict, alone too.
        async Task Sweep(string id, params (string Recipe, Verdict Verdict)[] runs)
        {
            var runner = new SweepRunner
            {
                SweepId = id, Artifacts = Path.Combine(_dir, "artifacts"), SweepDirectory = Path.Combine(_dir, "artifacts", "sweeps", id),
                State = store, Parallel = 2, Confirm = 1, Time = TimeProvider.System,
                ChildCommand = (i, _) => new Command("sh", "-c", $"exit {(runs.Single(r => r.Recipe == i.Entry.Name).Verdict == Verdict.Passed ? 0 : 1)}"),
            };
            foreach (var (recipe, verdict) in runs)
                foreach (var attempt in new[] { 0, 1 })
                    Result(verdict).Write(runner.RunDirectory(recipe, attempt), ArtifactWriter.NoSecrets);
            await Task.WhenAll(runner.Start([.. runs.Select(r => Item(r.Recipe))], CancellationToken.None).Values);
        }

        await Sweep("s1", ("a", Verdict.Passed), ("b", Verdict.Passed));
        await Sweep("s2", ("a", Verdict.Passed), ("b", Verdict.RolledBack));
        // s3 on two runners sharing the state folder: the first shard holds a, the second b.
        var b = File.ReadAllText(store.HistoryPath("b"));
        await Sweep("s3", ("a", Verdict.Passed));
        Assert.Equal(b, File.ReadAllText(store.HistoryPath("b")));
        var a = File.ReadAllText(store.HistoryPath("a"));
        await Sweep("s3", ("b", Verdict.Passed));
        Assert.Equal(a, File.ReadAllText(store.HistoryPath("a")));

        Assert.Equal([("s1", Verdict.Passed), ("s2", Verdict.Passed), ("s3", Verdict.Passed)], store.ReadHistory("a").Sweeps.Select(e => (e.SweepId, e.Verdict)));
        Assert.Equal([("s1", Verdict.Passed, (Classification?)null), ("s2", Verdict.RolledBack, Classification.Deterministic), ("s3", Verdict.Passed, null)],
            store.ReadHistory("b").Sweeps.Select(e => (e.SweepId, e.Verdict, e.Classification)));
        Assert.All(store.ReadHistory("b").Sweeps, e => Assert.Equal(("1.1.0+2", 2), (e.Version, e.Level)));
    }

    [Fact]
    public async Task Runs_start_in_the_plans_order()
    {
        var order = Path.Combine(_dir, "order.txt");
        var runner = new SweepRunner
        {
            SweepId = "s2", Artifacts = Path.Combine(_dir, "artifacts"), SweepDirectory = Path.Combine(_dir, "artifacts", "sweeps", "s2"),
            State = new CanonicalStateStore(Path.Combine(_dir, "state")), Parallel = 1, Time = TimeProvider.System,
            ChildCommand = (i, _) => new Command("sh", "-c", $"echo {i.Entry.Name} >> {order}"),
        };
        string[] names = ["r1", "r2", "r3", "r4", "r5", "r6"];
        var running = runner.Start(names.Select(n => Item(n)).ToList(), CancellationToken.None);
        await Task.WhenAll(running.Values);
        Assert.Equal(names, File.ReadAllLines(order));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Sweep_benchmark_fixtures_are_whole_copies_of_the_recipes_entry()
    {
        var catalog = Catalog.Load(Path.Combine(RepoRoot.Path, "recipes.yaml"));
        var hello = catalog.Get("hello");
        var text = SweepBenchmark.FixtureCatalog(catalog, hello, 2);
        var copies = Catalog.Parse(text, "fixtures.yaml");

        static string Rest(RecipeEntry e) => Newtonsoft.Json.JsonConvert.SerializeObject(e with { Name = "", Repository = "" });
        Assert.Equal(["hello-b1", "hello-b2"], copies.Recipes.Select(r => r.Name));
        foreach (var copy in copies.Recipes)
        {
            Assert.Equal(Path.Combine(RepoRoot.Path, "samples", "hello"), copy.Repository);
            // Everything else as enrolled: health, timeouts, probes, needs, and the backup marker
            // (without which the backup rung cannot place its marker).
            Assert.Equal(Rest(hello), Rest(copy));
            Assert.NotNull(copy.Backup);
        }

        // The one-at-a-time case: the copies with the needs given instead, and nothing else changed.
        var scarce = new ResourceNeeds(14000, hello.Needs!.DiskMb);
        var copiesOfScarce = Catalog.Parse(SweepBenchmark.FixtureCatalog(catalog, hello, 2, scarce), "fixtures.yaml").Recipes;
        Assert.Equal(2, copiesOfScarce.Count);
        Assert.All(copiesOfScarce, c => Assert.Equal(Rest(hello with { Needs = scarce }), Rest(c)));
    }

    [Theory]
    [InlineData(23_000, 24_105)]
    [InlineData(3_000, 4_096)]
    [InlineData(101, 512)]
    public void The_one_at_a_time_case_fits_one_copy_and_not_a_second_beside_its_reservation(long available, long total)
    {
        var needs = new ResourceNeeds(SweepBenchmark.OneAtATimeMemoryMb(available), null);
        var host = new HostResources(available, total, 50_000, 100_000, "/var/lib/docker");

        Assert.Empty(ResourceAdmission.NeverFits(needs, host));
        Assert.Empty(ResourceAdmission.Shortfalls(needs, host));
        Assert.StartsWith("memory:", Assert.Single(ResourceAdmission.Shortfalls(needs, host with { MemoryReservedMb = needs.MemoryMb!.Value })));
    }

    [Fact]
    public void A_bench_row_gives_each_recipes_admission_wait_shortest_first_beside_the_means()
    {
        RecipeSweepResult Line(string recipe, Verdict verdict, double wall, double overhead, double? teardown) => new()
        {
            Recipe = recipe, Ran = true, Verdict = verdict, WallS = wall, HarnessOverheadS = overhead, TeardownS = teardown,
            Canonical = new(false, "", null),
        };
        var summary = new SweepSummary
        {
            Janitor = new(0, 0, 0, 0, 0, 0, [], 0.1, "../../janitor/x.json"),
            Recipes = [Line("hello-b1", Verdict.Passed, 30, 1.5, 2.0), Line("hello-b2", Verdict.Passed, 44, 2.5, 3.0), Line("hello-b3", Verdict.Error, 10, 1.0, null)],
        };
        // The second admitted waited for the first's reservation; the third never reached admission.
        AdmissionResult[] admissions = [new() { Admitted = true, WaitedS = 14.26 }, new() { Admitted = true, WaitedS = 0.02 }];

        var row = SweepBenchRow.Of(BenchCase.OneAtATime, 2, TimeSpan.FromSeconds(61.04), summary, [.. admissions, null], "summary.json");

        Assert.Equal([0.0, 14.3], row.AdmissionWaitsS);
        Assert.Equal("0.0 / 14.3", row.Waits);
        Assert.Equal((61.0, 28.0, 1.67, 2.5, 2.5, 3.0, 2, 3), (row.SweepWallS, row.MeanRecipeWallS, row.MeanOverheadS, row.MaxOverheadS, row.MeanTeardownS, row.MaxTeardownS, row.Passed, row.Recipes));
        Assert.Equal("one_at_a_time", JObject.Parse(JsonConvention.Serialize(row))["case"]!.ToString());
        Assert.Equal("-", (row with { AdmissionWaitsS = [] }).Waits);
    }

    [Fact]
    public void The_ideal_of_a_parallelism_spreads_the_one_at_a_time_walls_over_its_workers_but_never_below_the_longest()
    {
        Assert.Equal(60.0, SweepBenchRow.Ideal([10, 20, 30], 1));
        Assert.Equal(30.0, SweepBenchRow.Ideal([10, 20, 30], 2));   // 60/2 = 30, and 30 is the longest
        Assert.Equal(30.0, SweepBenchRow.Ideal([10, 20, 30], 4));   // 15 would be below the longest recipe
        Assert.Equal(1.5, new SweepBenchRow(BenchCase.Catalogue, 2, 45, 0, 0, 0, 0, 0, [], 3, 3, "s") { IdealS = 30 }.Ratio);
    }

    [Fact]
    public void Time_shares_split_a_recipes_wall_into_outside_stages_fetch_swarm_waits_teardown_and_admission()
    {
        var t0 = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var result = new RunResult
        {
            Admission = new AdmissionResult { Admitted = true, WaitedS = 4 },
            Stages =
            [
                new() { Name = nameof(StageId.FetchRecipe), StartedAt = t0, DurationS = 2 },
                new() { Name = nameof(StageId.AwaitBaseConvergence), StartedAt = t0.AddSeconds(5), DurationS = 10, WaitsOnSwarm = true },
                new() { Name = nameof(StageId.AwaitBaseHealthy), StartedAt = t0.AddSeconds(15), DurationS = 3, WaitsOnSwarm = true },
                new() { Name = nameof(StageId.Teardown), StartedAt = t0.AddSeconds(20), DurationS = 2, WaitsOnSwarm = true },
            ],
        };
        // 22 s of stages in a 25 s process: 3 s before and after them.
        Assert.Equal(new TimeShares(3, 2, 13, 2, 4), TimeShares.Of([(25, result)]));
    }

    [Fact]
    public void The_catalogue_case_enrols_twelve_recipes_of_six_kinds_that_the_catalogue_reader_accepts()
    {
        var recipes = BenchCatalogue.Recipes();
        Assert.Equal(12, recipes.Count);
        Assert.Equal(["crashloop", "fast", "needs", "neverhealthy", "rollback", "slow"], recipes.Select(r => r.Kind).Distinct().Order());
        var catalog = Catalog.Parse(BenchCatalogue.Yaml(recipes.Select(r => (r, "/repos/" + r.Name))), "recipes.yaml");
        Assert.Equal(recipes.Select(r => r.Name), catalog.Recipes.Select(r => r.Name));
        Assert.Equal(40, catalog.Get("bench-rollback-1").Timeouts.Deploy);
        Assert.Equal(256, catalog.Get("bench-needs-2").Needs!.MemoryMb);
        // Every recipe has a base and a newer head release, both tagged, as a sweep tests them.
        Assert.All(recipes, r => Assert.Equal(2, r.History.Commits.Count(c => c.Tag is not null)));
    }
}
