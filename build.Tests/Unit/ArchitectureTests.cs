using System.Reflection;
using NetArchTest.Rules;
using RecipeCi.Host;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// The floors of <c>build/</c> (the README's Layout section): a namespace may use the namespaces on
/// the floors below its own, never one beside or above it, so each can be read, tested and replaced
/// with only what is under it. Ranks are strictly ordered, so no two namespaces can reach each other
/// and <c>build/</c> has no cycle between its folders. <c>Host</c> stands beside the floors: it uses
/// nothing of ours, and only the build's outer layer (Context, Tasks, Program) uses it.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Root = "RecipeCi";

    /// <summary>Lowest first; namespaces on one floor do not use each other.</summary>
    public static readonly string[][] Floors =
    [
        ["Verdicts", "Processes", "Tables"],
        ["Naming", "Files"],
        ["Recipes", "Locks"],
        ["Swarm", "Forge"],
        ["Machine", "Checks", "Routing"],
        ["Abra", "Browser"],
        ["Lint"],
        ["Results"],
        ["Lifecycle"],
        ["State"],
        ["Reports"],
        ["Reaping", "Publishing", "Status"],
        ["Sweeps", "Bridge"],
        ["Bench"],
        ["Context"],
        ["Tasks"],
    ];

    /// <summary>Beside the floors: the Frosting host, used only by the outer layer.</summary>
    private static readonly string[] UsersOfHost = ["Context", "Tasks"];

    private static readonly Assembly Build = typeof(CakeHost).Assembly;

    public static IEnumerable<object[]> Namespaces() => Floors.SelectMany(f => f).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void A_namespace_uses_only_the_floors_below_it(string name)
    {
        var rank = RankOf(name);
        var forbidden = Floors.SelectMany((floor, r) => r >= rank ? floor.Where(n => n != name) : [])
            .Concat(UsersOfHost.Contains(name) ? [] : ["Host"])
            .Select(n => $"{Root}.{n}").ToArray();
        var result = Types.InAssembly(Build).That().ResideInNamespace($"{Root}.{name}")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{Root}.{name} (floor {rank}) may use only {string.Join(", ", Below(rank))}; these of its types reach up or sideways:\n  " +
            string.Join("\n  ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_host_uses_nothing_of_the_build()
    {
        var ours = Floors.SelectMany(f => f).Select(n => $"{Root}.{n}").ToArray();
        var result = Types.InAssembly(Build).That().ResideInNamespace($"{Root}.Host").ShouldNot().HaveDependencyOnAny(ours).GetResult();
        Assert.True(result.IsSuccessful, "Host reaches into the build: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Every_namespace_of_the_build_stands_on_a_floor()
    {
        var placed = Floors.SelectMany(f => f).Append("Host").ToHashSet();
        var unplaced = Build.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(ns => ns.StartsWith(Root + ".", StringComparison.Ordinal))
            .Select(ns => ns[(Root.Length + 1)..].Split('.')[0])
            .Where(top => !placed.Contains(top))
            .Distinct().Order().ToList();
        Assert.True(unplaced.Count == 0, "namespaces on no floor (add them to ArchitectureTests.Floors and the README's Layout): " + string.Join(", ", unplaced));
    }

    /// <summary>
    /// What a static class may not touch: processes, docker and the network (the environment cannot
    /// be told apart here: every iterator reads Environment.CurrentManagedThreadId). Work with them belongs to an instance given its parts (a runner, a docker
    /// client, a TimeProvider), so a test can hand it fakes.
    /// </summary>
    private static readonly string[] InstanceOnly =
    [
        $"{Root}.Processes.CommandRunner", $"{Root}.Swarm.DockerCli", $"{Root}.Swarm.DockerEngine", "CliWrap",
        "System.Diagnostics.Process", "System.Net.Http.HttpClient",
    ];

    [Fact]
    public void No_static_class_runs_processes_talks_to_docker_or_reads_the_environment()
    {
        var result = Types.InAssembly(Build).That().AreClasses().And().AreAbstract().And().AreSealed()
            .And().ResideInNamespaceStartingWith(Root).And().DoNotResideInNamespace($"{Root}.Host")
            .ShouldNot().HaveDependencyOnAny(InstanceOnly).GetResult();
        Assert.True(result.IsSuccessful, "static classes doing I/O (make them instances given their parts):\n  " + string.Join("\n  ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_rule_catches_a_reference_up_a_floor()
    {
        // The rule over a type known to reach up (this test class uses the Host): a check that cannot fail proves nothing.
        var result = Types.InAssembly(typeof(ArchitectureTests).Assembly).That().HaveName(nameof(ArchitectureTests))
            .ShouldNot().HaveDependencyOnAny($"{Root}.Host").GetResult();
        Assert.False(result.IsSuccessful);
    }

    private static int RankOf(string name) => Array.FindIndex(Floors, f => f.Contains(name));

    private static IEnumerable<string> Below(int rank) => Floors.Take(rank).SelectMany(f => f).DefaultIfEmpty("nothing of ours");
}
