using System.Reflection;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// What a stage may read is its type parameters; these tests hold the graph to them, so a stage
/// moved, renamed or given a new input cannot silently read something no stage before it made.
/// </summary>
public sealed class StageGraphTests
{
    private static readonly List<StageTask> Stages = typeof(StageTask).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false } && typeof(StageTask).IsAssignableFrom(t))
        .Select(t => (StageTask)Activator.CreateInstance(t)!).ToList();

    private static IEnumerable<Type> DependenciesOf(Type task) =>
        task.GetCustomAttributes<IsDependentOnAttribute>().Select(a => a.Task)
            .SelectMany(d => DependenciesOf(d).Prepend(d)).Distinct();

    [Fact]
    public void Every_input_of_a_stage_is_produced_by_a_stage_it_depends_on()
    {
        Assert.True(Stages.Count >= 18, $"found only {Stages.Count} stage tasks");
        var missing = (from stage in Stages
                       let producers = DependenciesOf(stage.GetType()).Select(d => Stages.Single(s => s.GetType() == d).Produces).ToHashSet()
                       from input in stage.Reads
                       where !producers.Contains(input)
                       select $"{stage.Name} reads {input.Name}, which none of its dependencies produces").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_stage_that_tests_the_recipe_counts_for_a_rung()
    {
        // Fetching, admission, the plan and teardown say nothing about the recipe itself: they shape the verdict only.
        // The cold install after a failed upgrade serves the later rungs; the upgrade's own stages judged it already.
        var rungless = Stages.Where(s => s.CountsFor is null).Select(s => s.Name).Order().ToList();
        Assert.Equal(["ColdInstallHead", "FetchRecipe", "PlanSummary", "RunAdmission", "Teardown"], rungless);
        Assert.Equal(Rungs.All.Order(), Stages.Select(s => s.CountsFor).OfType<Rung>().Distinct().Order());
        Assert.Equal(Rung.Upgrade, Stages.Single(s => s.Name == "HeadIdentityCheck").CountsFor);
    }

    [Fact]
    public void A_skipped_result_carries_its_reason_to_the_stages_that_need_it()
    {
        var outputs = new StageOutputs();
        outputs.Skipped(typeof(SeededMarker), "not backup-capable: no service of the recipe has backupbot.backup=true");
        Assert.StartsWith("not backup-capable", outputs.Missing(typeof(SeededMarker)));
        Assert.Null(outputs.TryGet<SeededMarker>());
        Assert.Null(outputs.Missing(typeof(UsableBackup)));   // never made nor skipped: a graph error, not a skip
        var backup = new UsableBackup("abc123");
        outputs.Put(backup);
        Assert.Same(backup, outputs.TryGet<UsableBackup>());
    }
}
