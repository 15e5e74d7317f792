using System.Reflection;
using System.Runtime.CompilerServices;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Results;
using RecipeCi.Tasks;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// What a stage may read and the one result it sets are declared slots of <see cref="RunResults"/>;
/// these tests hold the graph to them, so a stage moved, renamed or given a new input cannot
/// silently read something no stage before it made, nor overwrite another stage's result.
/// </summary>
public sealed class StageGraphTests
{
    private static readonly List<StageTask> Stages = typeof(StageTask).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false } && typeof(StageTask).IsAssignableFrom(t))
        .Select(t => (StageTask)Activator.CreateInstance(t)!).ToList();

    private static readonly List<ResultSlot> Slots = typeof(ResultSlots).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (ResultSlot)f.GetValue(null)!).ToList();

    private static IEnumerable<Type> DependenciesOf(Type task) =>
        task.GetCustomAttributes<IsDependentOnAttribute>().Select(a => a.Task)
            .SelectMany(d => DependenciesOf(d).Prepend(d)).Distinct();

    private static IEnumerable<ResultSlot> Writes(StageTask stage) => new[] { stage.Sets, stage.LeavesWhenStopped }.OfType<ResultSlot>();

    [Fact]
    public void Every_input_of_a_stage_is_set_by_a_stage_it_depends_on()
    {
        Assert.True(Stages.Count >= 18, $"found only {Stages.Count} stage tasks");
        var missing = (from stage in Stages
                       let set = DependenciesOf(stage.GetType()).Select(d => Stages.Single(s => s.GetType() == d).Sets).ToHashSet()
                       from input in stage.Reads
                       where !set.Contains(input)
                       select $"{stage.Name} reads {input}, which none of its dependencies sets").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void What_a_stage_reads_when_it_is_there_is_written_by_some_stage()
    {
        var written = Stages.SelectMany(Writes).ToHashSet();
        Assert.Empty(Stages.SelectMany(s => s.ReadsIfSet.Where(r => !written.Contains(r)).Select(r => $"{s.Name} reads {r}, which no stage writes")));
    }

    [Fact]
    public void No_two_stages_write_the_same_result()
    {
        var shared = Stages.SelectMany(s => Writes(s).Select(slot => (Slot: slot, Stage: s.Name)))
            .GroupBy(w => w.Slot).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} is written by {string.Join(" and ", g.Select(w => w.Stage))}").ToList();
        Assert.Empty(shared);
    }

    [Fact]
    public void Every_result_has_one_slot_that_sets_its_own_property_and_a_stage_that_writes_it()
    {
        var properties = typeof(RunResults).GetProperties()
            .Where(p => p.CanWrite && p.Name != nameof(RunResults.Skipped) && p.SetMethod!.IsPublic).Select(p => p.Name).Order();
        Assert.Equal(properties, Slots.Select(s => s.Name).Order());
        Assert.Equal(Slots.Count, Slots.Distinct().Count());
        foreach (var slot in Slots)
        {
            var value = RuntimeHelpers.GetUninitializedObject(slot.Type);
            var results = slot.PutFound(RunResults.None, value);
            Assert.Same(value, typeof(RunResults).GetProperty(slot.Name)!.GetValue(results));
            Assert.Equal([slot], Slots.Where(s => s.IsSet(results)));
        }
        var written = Stages.SelectMany(Writes).ToHashSet();
        Assert.DoesNotContain(Slots, s => !written.Contains(s));
    }

    [Fact]
    public void Every_stage_that_tests_the_recipe_counts_for_a_rung()
    {
        // Fetching, admission, the plan and teardown say nothing about the recipe itself: they shape the verdict only.
        // The cold installs serve the later rungs (the verdict reads ColdInstallHead's for the install rung by name).
        // The apps a recipe needs are not the recipe: their install is no rung of its.
        var rungless = Stages.Where(s => s.CountsFor is null).Select(s => s.Id).Order().ToList();
        Assert.Equal([StageId.FetchRecipe, StageId.PlanSummary, StageId.RunAdmission, StageId.Dependencies, StageId.ColdInstallHead, StageId.ReinstallHead, StageId.Teardown], rungless);
        Assert.Equal(Rungs.All.Order(), Stages.Select(s => s.CountsFor).OfType<Rung>().Distinct().Order());
        Assert.Equal(Rung.Upgrade, Stages.Single(s => s.Id == StageId.HeadIdentityCheck).CountsFor);
    }

    [Fact]
    public void Every_stage_has_one_task_named_as_it_is_in_a_file_of_its_name()
    {
        Assert.Equal(Enum.GetValues<StageId>(), Stages.Select(s => s.Id).Order());
        Assert.All(Stages, s => Assert.Equal(s.Id + "Task", s.GetType().Name));
        var folder = Path.Combine(Support.RepoRoot.Path, "build", "Tasks", "Stages");
        Assert.All(Stages, s => Assert.True(File.Exists(Path.Combine(folder, s.GetType().Name + ".cs")), $"{s.GetType().Name} is not in {folder}/{s.GetType().Name}.cs"));
    }

    [Fact]
    public void No_source_file_name_is_in_two_folders()
    {
        var build = Path.Combine(Support.RepoRoot.Path, "build");
        var twice = Directory.EnumerateFiles(build, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .GroupBy(Path.GetFileName).Where(g => g.Count() > 1)
            .Select(g => string.Join(" and ", g.Select(f => Path.GetRelativePath(build, f)))).ToList();
        Assert.Empty(twice);
    }

    [Fact]
    public void A_stage_in_results_json_is_known_by_its_id()
    {
        Assert.Equal(StageId.ColdInstallHead, new StageResult { Name = nameof(StageId.ColdInstallHead) }.Stage);
        Assert.Null(new StageResult { Name = "NoSuchStage" }.Stage);
        Assert.DoesNotContain("\"stage\"", JsonConvention.Serialize(new StageResult { Name = nameof(StageId.Teardown) }));
    }

    [Fact]
    public void A_skipped_result_carries_its_reason_to_the_stages_that_need_it()
    {
        var results = ResultSlots.Marker.Skip(RunResults.None, "not backup-capable: no service of the recipe has backupbot.backup=true");
        Assert.StartsWith("not backup-capable", ResultSlots.Marker.WhyMissing(results));
        Assert.Null(results.Marker);
        Assert.Null(ResultSlots.Backup.WhyMissing(results));   // never made nor skipped: a graph error, not a skip
        var backup = new UsableBackup("abc123");
        results = ResultSlots.Backup.Put(results, backup);
        Assert.Same(backup, results.Backup);
        Assert.Null(results.RestoreHealth);   // a result of the same type elsewhere is another slot
    }
}
