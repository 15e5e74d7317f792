using RecipeCi.Bridge;
using RecipeCi.Context;
using RecipeCi.Forge;
using RecipeCi.Host;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Bridge")]
[TaskDescription("Watch the enrolled recipes' forge repositories (recipes.yaml forge:) for !testme on their pull requests, by polling every --poll seconds and on an optional webhook (--listen); acknowledge an authorised one (reaction, pending status on the head) and start its build (Drone's recipe-ci pipeline, or --runner=local); runs until stopped")]
[ReadsOptions("catalog state-dir artifacts lock-dir domain-suffix forge-url bot drone-url drone-repo poll listen runner allowlist")]
public sealed class BridgeTarget : AsyncFrostingTask<RecipeContext>
{
    public override async Task RunAsync(RecipeContext context)
    {
        var o = context.Options;
        var b = o.Bridge;
        var redactor = new Redactor();
        var secrets = new ForgeSecrets(Environment.GetEnvironmentVariable, redactor);
        void Say(string line) => context.Say(redactor.Redact(line));
        var forge = b.RequireForge("Bridge");
        var bot = b.RequireBot("Bridge");
        var catalog = Catalog.Load(o.Catalog);
        var gitea = GiteaClient.Create(forge, secrets.Require(BridgeOptions.ForgeTokenVariable, "The bridge"), redactor, Say);
        var secret = b.Listen is null ? null : secrets.Require(BridgeOptions.WebhookSecretVariable, "--listen");
        var stopping = context.Interrupt.Token;
        var local = b.Runner == BridgeRunner.Local
            ? new LocalRunner(new LocalRunSettings(Path.GetFullPath(o.Catalog), Path.GetFullPath(o.Artifacts), Path.GetFullPath(o.StateDir), o.LockDir, o.DomainSuffix, forge, bot), context.Clock, Say, stopping)
            : null;
        var starter = (IBuildStarter?)local ?? DroneStarter(b, secrets, redactor, Say);

        var bridge = new CommentBridge(gitea, starter, catalog.Recipes, bot, b.Allowlist, o.StateDir, Say);
        foreach (var recipe in catalog.Recipes.Where(r => r.Forge is null))
            Say($"{recipe.Name}: not watched, {catalog.File} gives it no forge repository. Fix: add 'forge: owner/name' under recipes.{recipe.Name}");
        if (bridge.Watched.Count == 0)
            throw new BadInputException($"no recipe in {catalog.File} has a forge repository, so the bridge has nothing to watch. Fix: add 'forge: owner/name' to the recipes whose PRs may be tested");
        Say($"bridge: {bot} on {forge} watches {string.Join(", ", bridge.Watched)}; polls every {b.Poll.TotalSeconds:0}s; runs on {(local is null ? "Drone" : "this machine")}; state in {BridgeState.PathIn(o.StateDir)}");

        var service = new BridgeService(bridge, b.Poll, context.Clock, Say);
        using (secret is null ? null : WebhookListener.Start(b.Listen!, secret, bridge, service.Wake, Say))
            await service.RunAsync(stopping);
        if (local is not null) await local.DrainAsync();
        Say("bridge: stopped");
    }

    private static DroneStarter DroneStarter(BridgeOptions b, ForgeSecrets secrets, Redactor redactor, Action<string> say)
    {
        var url = b.DroneUrl ?? throw new BadInputException("Bridge needs --drone-url (or RECIPE_CI_DRONE_URL), or --runner=local to run builds itself");
        var repo = b.DroneRepo ?? throw new BadInputException("Bridge needs --drone-repo (or RECIPE_CI_DRONE_REPO): Recipe CI's own repository on Drone, owner/name");
        var drone = DroneClient.Create(url, secrets.Require(BridgeOptions.DroneTokenVariable, "Starting Drone builds"), redactor, say);
        return new DroneStarter(drone, url, repo);
    }
}
