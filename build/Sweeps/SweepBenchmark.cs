using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using RecipeCi.Context;
using RecipeCi.Evidence;
using RecipeCi.Recipes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Sweeps;

/// <summary>One sweep of the benchmark: its parallelism, wall time, and what the recipes spent.</summary>
public sealed record BenchRow(int Parallel, double SweepWallS, double MeanRecipeWallS, double MeanOverheadS, double MaxOverheadS,
    double MeanTeardownS, double MaxTeardownS, int Passed, int Recipes, string Summary);

/// <summary>
/// The sweep benchmark: N copies of one enrolled recipe under fixture names, swept cold (--force,
/// a fresh state folder) at --parallel 1, 2 and 4, each sweep a real Sweep process. Prints and
/// writes sweep wall times and the harness's own overhead per recipe (see <see cref="HarnessOverhead"/>).
/// </summary>
public sealed class SweepBenchmark(RunOptions options, Action<string> say)
{
    public static readonly int[] Levels = [1, 2, 4];

    public string Directory { get; } = Path.GetFullPath(Path.Combine(options.Artifacts, "bench", options.RunId));

    public async Task<List<BenchRow>> RunAsync(CancellationToken stop)
    {
        var catalog = Catalog.Load(options.Catalog);
        var source = options.Recipes is [var name, ..] ? catalog.Get(name) : catalog.Recipes.FirstOrDefault()
            ?? throw new ConfigException($"{catalog.File} enrols no recipe to copy as a fixture. Fix: enrol one, or pass --recipes=<name>");
        System.IO.Directory.CreateDirectory(Directory);
        var fixtures = Path.Combine(Directory, "recipes.yaml");
        await File.WriteAllTextAsync(fixtures, FixtureCatalog(catalog, source, options.BenchSize), stop);
        say($"benchmark: {options.BenchSize} copies of {source.Name} at --parallel {string.Join(", ", Levels)}, catalogue {fixtures}");

        var rows = new List<BenchRow>();
        foreach (var parallel in Levels)
        {
            stop.ThrowIfCancellationRequested();
            var sweepId = $"{options.RunId}-p{parallel}";
            var child = await ChildProcess.RunAsync(ChildProcess.Harness(
            [
                "--target=Sweep", $"--catalog={fixtures}", $"--parallel={parallel}", "--force", $"--run-id={sweepId}",
                $"--artifacts={Path.GetFullPath(options.Artifacts)}", $"--state-dir={Path.Combine(Directory, "state-p" + parallel)}",
                $"--lock-dir={Path.GetFullPath(options.LockDir)}", $"--abra={options.Abra.ToString().ToLowerInvariant()}",
                $"--server={options.Server}", $"--domain-suffix={options.DomainSuffix}",
            ]), Path.Combine(Directory, $"sweep-p{parallel}.log"), stop);
            var summaryPath = Path.Combine(Path.GetFullPath(options.Artifacts), "sweeps", sweepId, SweepSummary.FileName);
            if (!File.Exists(summaryPath))
                throw new InvalidOperationException($"the sweep at --parallel={parallel} exited {child.ExitCode} without {summaryPath}: {string.Join(" | ", child.Tail.TakeLast(5))}");
            var s = SweepSummary.Read(summaryPath);
            var overheads = s.Recipes.Select(r => r.HarnessOverheadS).OfType<double>().DefaultIfEmpty(0).ToList();
            var teardowns = s.Recipes.Select(r => r.TeardownS).OfType<double>().DefaultIfEmpty(0).ToList();
            var row = new BenchRow(parallel, Math.Round(child.Wall.TotalSeconds, 1), Math.Round(s.Recipes.Average(r => r.WallS), 1),
                Math.Round(overheads.Average(), 2), Math.Round(overheads.Max(), 2), Math.Round(teardowns.Average(), 2), Math.Round(teardowns.Max(), 2),
                s.Recipes.Count(r => r.Passed), s.Recipes.Count, summaryPath);
            say($"  --parallel={parallel}: sweep {row.SweepWallS:0.0}s, recipe mean {row.MeanRecipeWallS:0.0}s, harness overhead mean {row.MeanOverheadS:0.00}s max {row.MaxOverheadS:0.00}s, " +
                $"teardown mean {row.MeanTeardownS:0.00}s max {row.MaxTeardownS:0.00}s, {row.Passed}/{row.Recipes} passed");
            rows.Add(row);
        }
        ArtifactWriter.NoSecrets.WriteJson(Path.Combine(Directory, "bench.json"), rows);
        ArtifactWriter.NoSecrets.Write(Path.Combine(Directory, "bench.md"), Markdown(source.Name, rows));
        return rows;
    }

    private string Markdown(string recipe, List<BenchRow> rows)
    {
        var md = new StringBuilder($"# Sweep benchmark {options.RunId}\n\n{options.BenchSize} copies of `{recipe}`, cold, each sweep a fresh state folder.\n\n");
        md.AppendLine("| --parallel | sweep wall (s) | recipe wall, mean (s) | harness overhead per recipe, mean / max (s) | Teardown per recipe, mean / max (s) | passed |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Parallel} | {r.SweepWallS:0.0} | {r.MeanRecipeWallS:0.0} | {r.MeanOverheadS:0.00} / {r.MaxOverheadS:0.00} | {r.MeanTeardownS:0.00} / {r.MaxTeardownS:0.00} | {r.Passed}/{r.Recipes} |"));
        return md.ToString();
    }

    /// <summary>
    /// N enrolments of the recipe under fixture names: its whole entry (health, timeouts, probes,
    /// backup marker, needs, env) and the catalogue's defaults, with the repository made absolute.
    /// Custom checks and overlays are found by recipe name, so the copies run without them.
    /// </summary>
    internal static string FixtureCatalog(Catalog catalog, RecipeEntry source, int count)
    {
        var root = new YamlReader(catalog.File).Load(File.ReadAllText(catalog.File));
        var entry = (YamlMappingNode)((YamlMappingNode)root["recipes"])[source.Name];
        var repository = new YamlScalarNode(Catalog.ResolveSource(catalog.Directory, source.Repository)) { Style = ScalarStyle.DoubleQuoted };
        var copies = new YamlMappingNode();
        for (var i = 1; i <= count; i++)
            copies.Add($"{source.Name}-b{i}", new YamlMappingNode(entry.Children.Select(kv =>
                kv.Key is YamlScalarNode { Value: "repository" } ? new KeyValuePair<YamlNode, YamlNode>(kv.Key, repository) : kv)));
        var doc = new YamlMappingNode();
        if (root.Children.TryGetValue(new YamlScalarNode("defaults"), out var defaults)) doc.Add("defaults", defaults);
        doc.Add("recipes", copies);
        var yaml = new StringWriter();
        yaml.WriteLine($"# Generated by SweepBench: {count} copies of {source.Name} from {catalog.File}.");
        new YamlStream(new YamlDocument(doc)).Save(yaml, assignAnchors: false);
        return yaml.ToString();
    }
}
