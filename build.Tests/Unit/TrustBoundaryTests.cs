using RecipeCi.Lint;
using RecipeCi.Naming;
using RecipeCi.Recipes;
using RecipeCi.Swarm;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// The trust boundary on fixtures on disk, as VetBase and VetHead vet them: the project the app's
/// env deploys, with the tree's symlinks followed. Each construct that reaches into the host is
/// refused, and passes once the catalogue allows its rule.
/// </summary>
public sealed class TrustBoundaryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tb-vet-").FullName;
    private string Tree => Path.Combine(_root, "recipe");

    private const string Sample = "TYPE=tb\nDOMAIN=tb.example.com\nCOMPOSE_FILE=compose.yml\nSOCK=/var/run/docker.sock\n";

    private Vetting Vet(string service, string topLevel = "", params string[] allow)
    {
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Combine(Tree, ".env.sample"), Sample);
        File.WriteAllText(Path.Combine(Tree, "compose.yml"), $"services:\n  app:\n    image: recipe-ci/busybox:1\n{service}{topLevel}");
        return VetTree(allow);
    }

    private Vetting VetTree(params string[] allow) =>
        TrustBoundary.Vet(AppEnv.FromSample(Tree).Project(new StackName("tb_example_com")), Tree, allow);

    public static TheoryData<string, string, string, string> Blocked => new()
    {
        { "socket, short syntax", "    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n", "", "docker-socket" },
        { "socket through the env", "    volumes:\n      - ${SOCK}:/sock\n", "", "docker-socket" },
        { "under /run, long syntax", "    volumes:\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /c\n", "", "docker-socket" },
        { "/etc", "    volumes:\n      - /etc:/host-etc:ro\n", "", "host-root-mount" },
        { "any absolute path", "    volumes:\n      - /srv/data:/data\n", "", "host-bind-mount" },
        { "climbing out", "    volumes:\n      - ../../outside:/data\n", "", "host-bind-mount" },
        { "home", "    volumes:\n      - ~/.ssh:/keys\n", "", "host-bind-mount" },
        { "volume binding a host path", "    volumes: [data:/data]\n", "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /home}\n", "host-volume-bind" },
        { "secret from a host file", "    secrets: [x]\n", "secrets:\n  x:\n    file: /etc/hostname\n", "file-outside-tree" },
        { "config from outside", "    configs: [c]\n", "configs:\n  c:\n    file: ../../c.conf\n", "file-outside-tree" },
        { "env_file on the host", "    env_file: /etc/environment\n", "", "file-outside-tree" },
        { "privileged", "    privileged: true\n", "", "privileged" },
        { "cap_add", "    cap_add: [SYS_ADMIN]\n", "", "cap-add" },
        { "devices", "    devices: [/dev/sda:/dev/sda]\n", "", "devices" },
        { "network_mode host", "    network_mode: host\n", "", "host-network" },
        { "the external host network", "    networks: [hostnet]\n", "networks:\n  hostnet:\n    external: true\n    name: host\n", "host-network" },
        { "pid host", "    pid: host\n", "", "host-namespace" },
        { "ipc host", "    ipc: host\n", "", "host-namespace" },
        { "userns_mode host", "    userns_mode: host\n", "", "host-namespace" },
        { "seccomp unconfined", "    security_opt: [seccomp:unconfined]\n", "", "security-opt" },
        { "apparmor unconfined", "    security_opt: [apparmor=unconfined]\n", "", "security-opt" },
        { "selinux labels off", "    security_opt: [label:disable]\n", "", "security-opt" },
        { "cgroup_parent", "    cgroup_parent: /system.slice\n", "", "cgroup-parent" },
        { "a kernel sysctl", "    sysctls:\n      kernel.shmmax: 1\n", "", "host-sysctl" },
        { "another app's secret", "    secrets: [db]\n", "secrets:\n  db:\n    external: true\n    name: other_example_com_db_password_v1\n", "external-object" },
        { "an external secret by its key", "    secrets: [db_password]\n", "secrets:\n  db_password:\n    external: true\n", "external-object" },
        { "another app's config, old syntax", "    configs: [c]\n", "configs:\n  c:\n    external:\n      name: other_example_com_conf\n", "external-object" },
        { "another app's volume", "    volumes: [data:/data]\n", "volumes:\n  data:\n    external: true\n    name: other_example_com_data\n", "external-object" },
        { "an external network but proxy", "    networks: [backend]\n", "networks:\n  backend:\n    external: true\n    name: other_example_com_internal\n", "external-object" },
    };

    [Fact]
    public void A_variable_the_docker_cli_fills_from_its_own_environment_is_vetted_as_it_will_be()
    {
        // The deploy's docker CLI has HOME (it needs it to find its contexts) and fills ${HOME} with it.
        var refused = Assert.Single(Vet("    volumes:\n      - ${HOME}:/host\n").Refused);
        Assert.Contains($"the host's {Environment.GetEnvironmentVariable("HOME")} at /host", refused.Message);
    }

    [Theory]
    [MemberData(nameof(Blocked))]
    public void Each_construct_is_refused_and_passes_once_the_catalogue_allows_its_rule(string what, string service, string topLevel, string rule)
    {
        var refused = Vet(service, topLevel);
        var finding = Assert.Single(refused.Refused);
        Assert.True(finding.Name == rule, $"{what}: {finding.Name} ({finding.Message})");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("compose.yml", finding.File);
        Assert.NotNull(finding.Line);
        Assert.Contains("allow", TrustBoundary.Reason("the head", refused.Refused, "tbx"));
        Assert.Contains($"recipes.tbx.allow: [{rule}]", TrustBoundary.Reason("the head", refused.Refused, "tbx"));

        var allowed = Vet(service, topLevel, rule);
        Assert.Empty(allowed.Refused);
        Assert.Equal(finding, Assert.Single(allowed.Allowed));
    }

    [Fact]
    public void Nothing_in_the_recipe_tree_can_allow_anything()
    {
        // What a recipe might write to lift the boundary: an extension field, a label, an env key. None is read.
        var vetting = Vet("    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    labels: [recipe-ci.allow=docker-socket]\n",
            "x-recipe-ci:\n  allow: [docker-socket]\n");
        File.AppendAllText(Path.Combine(Tree, ".env.sample"), "RECIPE_CI_ALLOW=docker-socket\nALLOW=docker-socket\n");
        Assert.Equal("docker-socket", Assert.Single(vetting.Refused).Name);
        Assert.Equal("docker-socket", Assert.Single(VetTree().Refused).Name);
    }

    [Fact]
    public void What_stays_in_the_tree_or_the_container_passes()
    {
        Directory.CreateDirectory(Path.Combine(Tree, "conf"));
        File.WriteAllText(Path.Combine(Tree, "secret.txt"), "s");
        var vetting = Vet("    volumes:\n      - ./conf:/conf:ro\n      - data:/data\n    secrets: [s]\n    sysctls: [net.ipv4.ip_forward=1]\n" +
                          "    security_opt: [no-new-privileges:true]\n    env_file: ./conf/app.env\n",
            "volumes:\n  data:\n    driver_opts: {type: tmpfs, device: tmpfs}\nsecrets:\n  s:\n    file: ./secret.txt\n");
        Assert.Empty(vetting.Refused);
        Assert.Empty(vetting.Allowed);
    }

    [Fact]
    public void A_symlink_in_the_tree_to_a_host_file_used_as_a_config_file_is_refused()
    {
        Directory.CreateDirectory(Tree);
        File.CreateSymbolicLink(Path.Combine(Tree, "app.conf"), "/etc/hostname");
        var f = Assert.Single(Vet("    configs: [c]\n", "configs:\n  c:\n    file: ./app.conf\n").Refused);
        Assert.Equal(LintRules.FileOutsideTree.Id, f.Rule);
        Assert.Contains("/etc/hostname", f.Message);
    }

    [Fact]
    public void A_symlinked_folder_leaving_the_tree_is_followed()
    {
        Directory.CreateDirectory(Tree);
        Directory.CreateSymbolicLink(Path.Combine(Tree, "etc"), "/etc");
        var f = Assert.Single(Vet("    volumes:\n      - ./etc/ssl:/ssl\n").Refused);
        Assert.Equal(LintRules.HostBindMount.Id, f.Rule);
    }

    [Fact]
    public void Symlinked_compose_and_abra_sh_leaving_the_tree_are_refused()
    {
        var outside = Path.Combine(_root, "elsewhere.yml");
        File.WriteAllText(outside, "services:\n  app:\n    image: recipe-ci/busybox:1\n");
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Combine(Tree, ".env.sample"), Sample);
        File.CreateSymbolicLink(Path.Combine(Tree, "compose.yml"), outside);
        File.CreateSymbolicLink(Path.Combine(Tree, "abra.sh"), "/etc/hostname");
        var refused = VetTree().Refused;
        Assert.Equal(["abra.sh", "compose.yml"], refused.Where(f => f.Rule == LintRules.FileOutsideTree.Id).Select(f => f.File).Order());
        Assert.Single(TrustBoundary.VetTreeFiles(Tree, []).Refused, f => f.File == "abra.sh");
    }

    [Fact]
    public void Abra_sh_is_parsed_and_never_executed()
    {
        var proof = Path.Combine(_root, "abra-sh-ran");
        Directory.CreateDirectory(Tree);
        File.WriteAllText(Path.Combine(Tree, "abra.sh"), $"touch {proof}\nexport IMAGE_TAG=$(touch {proof}; echo 1)\nexport PLAIN=yes\n");
        var vetting = Vet("    environment:\n      - PLAIN=${PLAIN}\n");
        Assert.Empty(vetting.Refused);
        Assert.Equal("yes", AppEnv.FromSample(Tree).Values(new StackName("tb_example_com"))["PLAIN"]);
        RecipeLinter.Lint(RecipeTree.Load(Tree, []));
        Assert.False(File.Exists(proof), "abra.sh was executed");
    }

    [Fact]
    public void The_security_rules_stay_in_lint()
    {
        var findings = RecipeLinter.Lint(RecipeTree.FromTexts(new Dictionary<string, string>
        {
            ["compose.yml"] = "services:\n  app:\n    image: a:1\n    pid: host\n    volumes:\n      - /srv:/srv\nsecrets:\n  x:\n    file: /etc/hostname\n",
        }, []));
        Assert.Equal(["L014", "L016", "L018"], findings.Where(f => LintRules.TrustBoundary.Any(r => r.Id == f.Rule)).Select(f => f.Rule).Order());
    }

    [Fact]
    public void Only_the_catalogue_allows_and_an_unknown_rule_is_a_catalogue_error()
    {
        var ok = Catalog.Parse("recipes:\n  tbok:\n    repository: x\n    allow: [docker-socket, host-bind-mount]\n", "recipes.yaml");
        Assert.Equal(["docker-socket", "host-bind-mount"], ok.Get("tbok").Allow);
        var ex = Assert.Throws<ConfigException>(() =>
            Catalog.Parse("recipes:\n  tbbad:\n    repository: x\n    allow: [docker-sock]\n", "recipes.yaml"));
        Assert.Contains("recipes.yaml:4", ex.Message);
        Assert.Contains("recipes.tbbad.allow", ex.Message);
        Assert.Contains("'docker-sock' is not a rule", ex.Message);
        Assert.Contains("docker-socket", ex.Message.Split("Fix:")[1]);
    }

    [Fact]
    public void The_apps_own_external_objects_and_the_proxy_network_pass()
    {
        var vetting = Vet("    secrets: [db]\n    networks: [proxy]\n",
            "secrets:\n  db:\n    external: true\n    name: ${STACK_NAME}_db_password_v1\nnetworks:\n  proxy:\n    external: true\n");
        Assert.Empty(vetting.Refused);
    }

    [Fact]
    public void The_catalogue_and_lint_name_the_same_rules_of_the_boundary()
    {
        // allow: is read against BoundaryRule; a boundary rule lint lacks would be allowed and never checked.
        Assert.Equal(Enum.GetValues<BoundaryRule>().Select(r => r.Word()).Order(), LintRules.TrustBoundary.Select(r => r.Name).Order());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
