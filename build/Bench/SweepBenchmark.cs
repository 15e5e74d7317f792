using System.Globalization;
using System.Runtime.Serialization;
using System.Text;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json;
using RecipeCi.Files;
using RecipeCi.Machine;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Results;
using RecipeCi.State;
using RecipeCi.Sweeps;
using RecipeCi.Verdicts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Bench;

/// <summary>What a sweep of the benchmark holds.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum BenchCase
{
    /// <summary>--bench-size copies of the recipe, its catalogue entry as it is.</summary>
    [EnumMember(Value = "copies")] Copies,
    /// <summary>Two copies whose declared memory fits only one at a time: the second waits for the first's reservation.</summary>
    [EnumMember(Value = "one_at_a_time")] OneAtATime,
    /// <summary>Twelve recipes of a catalogue's kinds (see <see cref="BenchCatalogue"/>).</summary>
    [EnumMember(Value = "catalogue")] Catalogue,
}

/// <summary>
/// Where a recipe's wall time went, mean seconds per recipe: outside every stage (the process's
/// start-up and exit), FetchRecipe (clone and checkout), the stages that wait on swarm (convergence
/// and health), Teardown, and the admission wait.
/// </summary>
public sealed record TimeShares(double OutsideStagesS, double FetchS, double SwarmWaitsS, double TeardownS, double AdmissionS)
{
    public static TimeShares Of(IReadOnlyList<(double WallS, RunResult Result)> runs)
    {
        double Mean(Func<(double WallS, RunResult Result), double> of) => runs.Count == 0 ? 0 : Math.Round(runs.Average(of), 2);
        static double Span(RunResult r) => r.Stages.Count == 0 ? 0
            : (r.Stages.Max(s => s.StartedAt.AddSeconds(s.DurationS)) - r.Stages.Min(s => s.StartedAt)).TotalSeconds;
        static double Of(RunResult r, Func<StageResult, bool> which) => r.Stages.Where(which).Sum(s => s.DurationS);
        return new TimeShares(
            Mean(x => Math.Max(0, x.WallS - Span(x.Result))),
            Mean(x => Of(x.Result, s => s.Stage == StageId.FetchRecipe)),
            Mean(x => Of(x.Result, s => s.WaitsOnSwarm && s.Stage != StageId.Teardown)),
            Mean(x => Of(x.Result, s => s.Stage == StageId.Teardown)),
            Mean(x => x.Result.Admission?.WaitedS ?? 0));
    }
}

/// <summary>
/// One sweep of the benchmark: its case and parallelism, wall time, what the recipes spent, and
/// how long each waited for admission (ascending; recipes admission skipped or never reached are not in it).
/// </summary>
public sealed record SweepBenchRow(BenchCase Case, int Parallel, double SweepWallS, double MeanRecipeWallS, double MeanOverheadS, double MaxOverheadS,
    double MeanTeardownS, double MaxTeardownS, List<double> AdmissionWaitsS, int Passed, int Recipes, string Summary)
{
    /// <summary>
    /// The least wall time this parallelism could take, from the recipes' wall times of the
    /// --parallel=1 sweep: their sum spread evenly over the workers, never less than the longest.
    /// Null until that sweep ran.
    /// </summary>
    public double? IdealS { get; init; }
    public double? Ratio => IdealS is > 0 ? Math.Round(SweepWallS / IdealS.Value, 2) : null;
    public TimeShares? Shares { get; init; }

    public static double Ideal(IReadOnlyCollection<double> oneAtATimeWalls, int parallel) =>
        Math.Round(Math.Max(oneAtATimeWalls.Sum() / parallel, oneAtATimeWalls.DefaultIfEmpty(0).Max()), 1);

    /// <summary>The row of one sweep, from its summary and the admission each of its runs recorded in results.json.</summary>
    public static SweepBenchRow Of(BenchCase @case, int parallel, TimeSpan wall, SweepSummary s, IEnumerable<AdmissionResult?> admissions, string summaryPath)
    {
        var overheads = s.Recipes.Select(r => r.HarnessOverheadS).OfType<double>().DefaultIfEmpty(0).ToList();
        var teardowns = s.Recipes.Select(r => r.TeardownS).OfType<double>().DefaultIfEmpty(0).ToList();
        return new SweepBenchRow(@case, parallel, Math.Round(wall.TotalSeconds, 1), Math.Round(s.Recipes.Average(r => r.WallS), 1),
            Math.Round(overheads.Average(), 2), Math.Round(overheads.Max(), 2), Math.Round(teardowns.Average(), 2), Math.Round(teardowns.Max(), 2),
            [.. admissions.OfType<AdmissionResult>().Select(a => Math.Round(a.WaitedS, 1)).Order()],
            s.Recipes.Count(r => r.Passed), s.Recipes.Count, summaryPath);
    }

    [JsonIgnore]
    public string Waits => AdmissionWaitsS.Count == 0 ? "-" : string.Join(" / ", AdmissionWaitsS.Select(w => w.ToString("0.0", CultureInfo.InvariantCulture)));
}

/// <summary>
/// The sweep benchmark: N copies of one enrolled recipe under fixture names, swept cold (--force,
/// a fresh state folder) at --parallel 1, 2 and 4, then two copies whose declared memory fits only
/// one at a time at --parallel 2; each sweep a real Sweep process. Prints and writes sweep wall
/// times, the harness's own overhead per recipe (see <see cref="HarnessOverhead"/>), Teardown
/// seconds and admission waits.
/// </summary>
public sealed class SweepBenchmark(SweepOptions options, BenchCase shape, TimeProvider time, Action<string> say)
{
    public static readonly int[] Levels = [1, 2, 4];
    private const int OneAtATimeCopies = 2;

    public string Directory { get; } = Path.GetFullPath(Path.Combine(options.Artifacts, "bench", options.RunId));

    /// <summary>
    /// Memory each copy of the one-at-a-time case declares: 60% of what is available when the
    /// benchmark starts, so one fits and a second beside its reservation does not (0.6 + 0.6 > 1),
    /// whatever the machine's size; once the first deploy converged and released its reservation,
    /// the second fits (the app itself uses far less).
    /// </summary>
    public static int OneAtATimeMemoryMb(long availableMb) => (int)(availableMb * 3 / 5);

    public Task<List<SweepBenchRow>> RunAsync(CancellationToken stop) =>
        shape == BenchCase.Catalogue ? CatalogueAsync(stop) : CopiesAsync(stop);

    /// <summary>
    /// The catalogue-shape case at each parallelism, without isolation re-runs (they would run the
    /// red recipes again, alone, inside the wall time being compared), each row against its ideal.
    /// </summary>
    private async Task<List<SweepBenchRow>> CatalogueAsync(CancellationToken stop)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var runner = new CommandRunner();
        var built = new List<(BenchRecipe, string)>();
        foreach (var recipe in BenchCatalogue.Recipes())
        {
            var repository = Path.Combine(Directory, "recipes", recipe.Name);
            if (!System.IO.Directory.Exists(repository)) await recipe.History.BuildAsync(repository, runner, stop);
            built.Add((recipe, repository));
        }
        var catalogue = Path.Combine(Directory, "recipes.yaml");
        await File.WriteAllTextAsync(catalogue, BenchCatalogue.Yaml(built), stop);
        say($"benchmark: {built.Count} recipes of a catalogue's kinds ({string.Join(", ", built.GroupBy(b => b.Item1.Kind).Select(g => $"{g.Count()} {g.Key}"))}) " +
            $"at --parallel {string.Join(", ", Levels)}, catalogue {catalogue}");
        var rows = new List<SweepBenchRow>();
        List<double>? alone = null;
        foreach (var parallel in Levels)
        {
            var (row, walls) = await SweepAsync(BenchCase.Catalogue, parallel, catalogue, stop, "--confirm=0");
            alone ??= walls;
            rows.Add(row with { IdealS = SweepBenchRow.Ideal(alone, parallel) });
            say($"    ideal {rows[^1].IdealS:0.0}s, ratio {rows[^1].Ratio:0.00}; per recipe: outside stages {row.Shares!.OutsideStagesS:0.00}s, fetch {row.Shares.FetchS:0.00}s, " +
                $"swarm waits {row.Shares.SwarmWaitsS:0.0}s, teardown {row.Shares.TeardownS:0.00}s, admission {row.Shares.AdmissionS:0.0}s");
        }
        Write(rows, CatalogueMarkdown(built.Count, rows));
        return rows;
    }

    private async Task<List<SweepBenchRow>> CopiesAsync(CancellationToken stop)
    {
        var catalog = Catalog.Load(options.Catalog);
        var source = options.Recipes is [var name, ..] ? catalog.Get(name) : catalog.Recipes.FirstOrDefault()
            ?? throw new ConfigException($"{catalog.File} enrols no recipe to copy as a fixture. Fix: enrol one, or pass --recipes=<name>");
        System.IO.Directory.CreateDirectory(Directory);
        var copies = Path.Combine(Directory, "recipes.yaml");
        await File.WriteAllTextAsync(copies, FixtureCatalog(catalog, source, options.BenchSize), stop);
        var (available, _) = ResourceAdmission.ParseMeminfo(await File.ReadAllTextAsync("/proc/meminfo", stop));
        var scarce = new ResourceNeeds(OneAtATimeMemoryMb(available), source.Needs?.DiskMb);
        var oneAtATime = Path.Combine(Directory, "recipes-one-at-a-time.yaml");
        await File.WriteAllTextAsync(oneAtATime, FixtureCatalog(catalog, source, OneAtATimeCopies, scarce), stop);
        say($"benchmark: {options.BenchSize} copies of {source.Name} at --parallel {string.Join(", ", Levels)}, catalogue {copies}; " +
            $"then {OneAtATimeCopies} copies needing {scarce.MemoryMb} MB memory each ({available} MB available now) at --parallel 2, catalogue {oneAtATime}");

        var rows = new List<SweepBenchRow>();
        foreach (var parallel in Levels) rows.Add((await SweepAsync(BenchCase.Copies, parallel, copies, stop)).Row);
        rows.Add((await SweepAsync(BenchCase.OneAtATime, 2, oneAtATime, stop)).Row);
        Write(rows, Markdown(source.Name, scarce, available, rows));
        return rows;
    }

    private void Write(List<SweepBenchRow> rows, string markdown)
    {
        ArtifactWriter.NoSecrets.WriteJson(Path.Combine(Directory, "bench.json"), rows);
        ArtifactWriter.NoSecrets.Write(Path.Combine(Directory, "bench.md"), markdown);
    }

    /// <summary>One sweep of the benchmark: its row, and the wall time of each recipe it ran.</summary>
    private async Task<(SweepBenchRow Row, List<double> Walls)> SweepAsync(BenchCase @case, int parallel, string fixtures, CancellationToken stop, params string[] extra)
    {
        stop.ThrowIfCancellationRequested();
        var label = @case == BenchCase.Copies ? $"p{parallel}" : $"{@case.Word()}-p{parallel}";
        var sweepId = $"{options.RunId}-{label}";
        var child = await new ChildProcess(time).RunAsync(ChildProcess.Harness(
        [
            "--target=Sweep", $"--catalog={fixtures}", $"--parallel={parallel}", "--force", $"--run-id={sweepId}",
            $"--artifacts={Path.GetFullPath(options.Artifacts)}", $"--state-dir={Path.Combine(Directory, "state-" + label)}",
            $"--lock-dir={Path.GetFullPath(options.LockDir)}", $"--abra={options.Abra.ToString().ToLowerInvariant()}",
            $"--server={options.Server}", $"--domain-suffix={options.DomainSuffix}", .. extra,
        ]), Path.Combine(Directory, $"sweep-{label}.log"), stop);
        var sweepDir = Path.Combine(Path.GetFullPath(options.Artifacts), Reports.ArtifactIndex.SweepsFolder, sweepId);
        var summaryPath = Path.Combine(sweepDir, SweepSummary.FileName);
        if (!File.Exists(summaryPath))
            throw new InvalidOperationException($"the sweep {label} exited {child.ExitCode} without {summaryPath}: {string.Join(" | ", child.Tail.TakeLast(5))}");
        var s = SweepSummary.Read(summaryPath);
        var runs = s.Recipes.Where(r => r.Evidence is not null).Select(r => (r.WallS, Path: Path.Combine(sweepDir, r.Evidence!, RunResult.FileName)))
            .Where(r => File.Exists(r.Path)).Select(r => (r.WallS, Result: RunResult.Read(r.Path))).ToList();
        var row = SweepBenchRow.Of(@case, parallel, child.Wall, s, runs.Select(r => r.Result.Admission), summaryPath) with { Shares = TimeShares.Of(runs) };
        say($"  {@case.Word()} --parallel={parallel}: sweep {row.SweepWallS:0.0}s, recipe mean {row.MeanRecipeWallS:0.0}s, harness overhead mean {row.MeanOverheadS:0.00}s max {row.MaxOverheadS:0.00}s, " +
            $"teardown mean {row.MeanTeardownS:0.00}s max {row.MaxTeardownS:0.00}s, admission waits {row.Waits}s, {row.Passed}/{row.Recipes} passed");
        return (row, [.. s.Recipes.Where(r => r.Ran).Select(r => r.WallS)]);
    }

    private string CatalogueMarkdown(int recipes, List<SweepBenchRow> rows)
    {
        var md = new StringBuilder($"# Sweep benchmark {options.RunId}: catalogue shape\n\n{recipes} recipes of a catalogue's kinds, cold, no isolation re-runs; " +
                                   "the ideal is the --parallel=1 recipes' wall times spread over the workers, never less than the longest.\n\n");
        md.AppendLine("| --parallel | sweep wall (s) | ideal (s) | ratio | harness overhead per recipe, mean / max (s) | Teardown per recipe, mean / max (s) | outside stages (s) | fetch (s) | swarm waits (s) | admission (s) | passed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Parallel} | {r.SweepWallS:0.0} | {r.IdealS:0.0} | {r.Ratio:0.00} | {r.MeanOverheadS:0.00} / {r.MaxOverheadS:0.00} | {r.MeanTeardownS:0.00} / {r.MaxTeardownS:0.00} | " +
                $"{r.Shares!.OutsideStagesS:0.00} | {r.Shares.FetchS:0.00} | {r.Shares.SwarmWaitsS:0.0} | {r.Shares.AdmissionS:0.0} | {r.Passed}/{r.Recipes} |"));
        return md.ToString();
    }

    private string Markdown(string recipe, ResourceNeeds scarce, long available, List<SweepBenchRow> rows)
    {
        var md = new StringBuilder($"# Sweep benchmark {options.RunId}\n\n{options.BenchSize} copies of `{recipe}` (`copies`), then {OneAtATimeCopies} copies " +
                                   $"that each need {scarce.MemoryMb} MB memory of the {available} MB available at the start (`one_at_a_time`); cold, each sweep a fresh state folder.\n\n");
        md.AppendLine("| case | --parallel | sweep wall (s) | recipe wall, mean (s) | harness overhead per recipe, mean / max (s) | Teardown per recipe, mean / max (s) | admission wait per recipe (s) | passed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Case.Word()} | {r.Parallel} | {r.SweepWallS:0.0} | {r.MeanRecipeWallS:0.0} | {r.MeanOverheadS:0.00} / {r.MaxOverheadS:0.00} | {r.MeanTeardownS:0.00} / {r.MaxTeardownS:0.00} | {r.Waits} | {r.Passed}/{r.Recipes} |"));
        return md.ToString();
    }

    /// <summary>
    /// N enrolments of the recipe under fixture names: its whole entry (health, timeouts, probes,
    /// backup marker, needs, env) and the catalogue's defaults, with the repository made absolute,
    /// and <paramref name="needs"/> instead of the recipe's own when given.
    /// Custom checks and overlays are found by recipe name, so the copies run without them.
    /// </summary>
    internal static string FixtureCatalog(Catalog catalog, RecipeEntry source, int count, ResourceNeeds? needs = null)
    {
        var root = new YamlReader(catalog.File).Load(File.ReadAllText(catalog.File));
        var entry = (YamlMappingNode)((YamlMappingNode)root["recipes"])[source.Name];
        var repository = new YamlScalarNode(Catalog.ResolveSource(catalog.Directory, source.Repository)) { Style = ScalarStyle.DoubleQuoted };
        var copies = new YamlMappingNode();
        for (var i = 1; i <= count; i++)
        {
            var copy = new YamlMappingNode(entry.Children
                .Where(kv => needs is null || kv.Key is not YamlScalarNode { Value: "needs" })
                .Select(kv => kv.Key is YamlScalarNode { Value: "repository" } ? new KeyValuePair<YamlNode, YamlNode>(kv.Key, repository) : kv));
            if (needs is not null) copy.Add("needs", NeedsNode(needs));
            copies.Add($"{source.Name}-b{i}", copy);
        }
        var doc = new YamlMappingNode();
        if (root.Children.TryGetValue(new YamlScalarNode("defaults"), out var defaults)) doc.Add("defaults", defaults);
        doc.Add("recipes", copies);
        var yaml = new StringWriter();
        yaml.WriteLine($"# Generated by SweepBench: {count} copies of {source.Name} from {catalog.File}.");
        new YamlStream(new YamlDocument(doc)).Save(yaml, assignAnchors: false);
        return yaml.ToString();
    }

    private static YamlMappingNode NeedsNode(ResourceNeeds needs)
    {
        var node = new YamlMappingNode();
        if (needs.MemoryMb is { } memory) node.Add("memory_mb", memory.ToString(CultureInfo.InvariantCulture));
        if (needs.DiskMb is { } disk) node.Add("disk_mb", disk.ToString(CultureInfo.InvariantCulture));
        return node;
    }
}
