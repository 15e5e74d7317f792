using Cake.Core;
using RecipeCi.Context;
using RecipeCi.Files;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>The handle a sweep gives its recipe runs of the dependencies it shares, and the option that passes it.</summary>
public sealed class SharedDependencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-ci-shared-").FullName;

    private static ICakeArguments Args(params (string, string)[] a) => new CakeArguments(a.ToLookup(x => x.Item1, x => x.Item2));

    private string Handle(string json)
    {
        var path = Path.Combine(_dir, SharedDependencies.FileName);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_option_is_read_as_a_full_path_reaches_the_recipe_run_and_never_a_dependency_run()
    {
        Assert.Null(RunOptions.Parse(Args(), _ => null).ForRun("app").SharedDeps);
        var options = RunOptions.Parse(Args(("shared-deps", "sweeps/s1/shared-deps.json")), _ => null);
        Assert.Equal(Path.GetFullPath("sweeps/s1/shared-deps.json"), options.SharedDeps);
        var run = options.ForRun("app");
        Assert.Equal(options.SharedDeps, run.SharedDeps);
        Assert.Contains("shared-deps", RunOptions.RecipeRunOptions.Split(' '));
        // A dependency's own run shares nothing, and a sweep's shared one is keyed on the sweep, not on a recipe run.
        Assert.Null(run.ForDependency("idp", null).SharedDeps);
        Assert.Equal("app||", run.ForDependency("idp", null).DomainKey);
        Assert.Equal("sweep|s1", run.ForDependency("idp", null, of: "sweep|s1").DomainKey);
    }

    [Fact]
    public void A_handle_a_sweep_writes_reads_back_as_it_was_with_names_and_no_values()
    {
        var path = Path.Combine(_dir, SharedDependencies.FileName);
        var written = new SharedDependencies([
            new SharedApp("idp", "idp.ci.local", "idp_ci_local", new Dictionary<string, string> { ["admin_password"] = "idp_ci_local_admin_password_v1" }, "/a/deps/idp"),
            new SharedApp("db", "", "", new Dictionary<string, string>(), "/a/deps/db", "DeployBase failed: no"),
        ]);
        written.Write(path, ArtifactWriter.NoSecrets);

        var read = SharedDependencies.Load(path);
        Assert.Equal("idp_ci_local_admin_password_v1", read.Find("idp")!.Secrets["admin_password"]);
        Assert.Equal(("idp.ci.local", "idp_ci_local", "/a/deps/idp", (string?)null), (read.Find("idp")!.Domain, read.Find("idp")!.Stack, read.Find("idp")!.Evidence, read.Find("idp")!.Error));
        Assert.Equal("DeployBase failed: no", read.Find("db")!.Error);
        Assert.Null(read.Find("mail"));
        Assert.Contains("\"admin_password\": \"idp_ci_local_admin_password_v1\"", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("{\"apps\": [", ":1: not a shared dependencies handle")]
    [InlineData("{}", ": apps is missing.")]
    [InlineData("{\"apps\": [{\"recipe\": \"idp\", \"domain\": \"d\", \"evidence\": \"/e\"}]}", ": apps[0].stack is missing.")]
    [InlineData("{\"apps\": [{\"domain\": \"d\", \"stack\": \"s\", \"evidence\": \"/e\", \"error\": \"it failed\"}]}", ": apps[0].recipe is missing.")]
    public void A_handle_of_another_shape_is_bad_input_naming_the_file_the_key_and_the_fix(string json, string message)
    {
        var path = Handle(json);
        var ex = Assert.Throws<BadInputException>(() => SharedDependencies.Load(path));
        Assert.StartsWith(path + message, ex.Message);
        Assert.Contains("Fix: pass the file a sweep wrote", ex.Message);
    }

    [Fact]
    public void A_handle_that_is_not_there_is_bad_input()
    {
        var path = Path.Combine(_dir, "nothing.json");
        Assert.StartsWith($"--shared-deps {path} does not exist. Fix: ", Assert.Throws<BadInputException>(() => SharedDependencies.Load(path)).Message);
    }

    [Fact]
    public void A_dependency_that_did_not_install_needs_no_domain_or_stack()
    {
        var read = SharedDependencies.Load(Handle("{\"apps\": [{\"recipe\": \"idp\", \"evidence\": \"/e\", \"error\": \"DeployBase failed\"}]}"));
        Assert.Equal("DeployBase failed", read.Find("idp")!.Error);
        Assert.Empty(read.Find("idp")!.Secrets);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
