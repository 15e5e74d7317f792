using System.Security.Cryptography;
using System.Text;
using RecipeCi.Naming;
using RecipeCi.Processes;
using RecipeCi.Recipes;
using RecipeCi.Swarm;

namespace RecipeCi.Abra;

/// <summary>
/// Performs abra's operations on the local swarm, with abra's conventions: the app env file from
/// <c>.env.sample</c> with <c>TYPE=&lt;recipe&gt;:&lt;version&gt;</c>, secrets per
/// <c>SECRET_&lt;NAME&gt;_VERSION</c> as <c>&lt;stack&gt;_&lt;name&gt;_&lt;version&gt;</c>,
/// <c>COMPOSE_FILE</c> and <c>STACK_NAME</c>, pinned deploys that check out the tag and refuse a
/// dirty tree, chaos deploys of HEAD, and the labels abra stamps on the <c>app</c> service.
/// Deploys with <c>docker stack deploy --resolve-image never</c>: there is no registry here.
/// </summary>
public sealed class LocalAbraDriver(AbraDir dir, DockerCli docker, CommandRunner runner, TimeProvider time, ConvergenceWatcher? watcher = null) : IAbra
{
    public string Kind => "local";

    public async Task AppNewAsync(string recipe, string? version, string server, string domain, CancellationToken ct)
    {
        var recipePath = dir.RecipePath(recipe);
        if (!Directory.Exists(recipePath)) throw new AbraException($"recipe '{recipe}' is not in {Path.Combine(dir.Root, "recipes")}");
        var envPath = dir.EnvPath(server, domain);
        if (File.Exists(envPath)) throw new AbraException($"{domain} already exists ({envPath})");
        var repo = new GitRepository(recipePath, runner);
        var tags = await repo.ReleaseTagsAsync(ct);
        // abra app new moves the recipe checkout to the release it records.
        var release = version ?? tags.LastOrDefault()?.Name;
        if (release is not null)
        {
            if (tags.All(t => t.Name != release)) throw new AbraException($"{recipe} has no release tag '{release}'");
            await repo.CheckoutAsync(release, ct);
        }
        var sample = Path.Combine(recipePath, ".env.sample");
        if (!File.Exists(sample)) throw new AbraException($"unable to validate recipe: {recipe} has no .env.sample");
        Directory.CreateDirectory(Path.GetDirectoryName(envPath)!);
        var env = EnvFile.FromText(envPath, await File.ReadAllTextAsync(sample, ct));
        env.Set("TYPE", release is null ? recipe : $"{recipe}:{release}");
        env.Set("DOMAIN", domain);
        env.Save();
    }

    public async Task SecretGenerateAllAsync(string domain, CancellationToken ct)
    {
        var envPath = dir.FindEnv(domain);
        var stack = StackOf(envPath, domain);
        // As abra's --all: only secrets that do not exist yet, and never one an operator inserts (generate=false).
        var existing = await docker.NamesWithPrefixAsync("secret", stack.Of(""), ct);
        foreach (var (name, version, length, _) in AppSecrets.Declared(envPath).Where(s => s.Generate && !existing.Contains(stack.Secret(s.Name, s.Version))))
        {
            var value = RandomSecret(length);
            runner.Redactor.Register(value);
            await docker.SecretCreateAsync(stack.Value, stack.Secret(name, version), value, ct);
        }
    }

    private static string RandomSecret(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, length));
    }

    private static StackName StackOf(string envPath, string domain) =>
        new(EnvFile.Load(envPath).Get("STACK_NAME") is { Length: > 0 } s ? s : AppNaming.StackName(domain));

    public async Task DeployAsync(string domain, DeployRequest request, CancellationToken ct)
    {
        var envPath = dir.FindEnv(domain);
        var envFile = EnvFile.Load(envPath);
        var type = envFile.Get("TYPE") ?? envFile.Get("RECIPE") ?? throw new AbraException($"{envPath} has no TYPE= line");
        var recipe = type.Split(':')[0];
        var repo = new GitRepository(dir.RecipePath(recipe), runner);
        var stack = StackOf(envPath, domain);

        string versionLabel, chaosVersion = "";
        if (request.Chaos)
        {
            // Chaos: deploy the tree as it is; abra stamps 8 hex of HEAD, +U when the tree is dirty.
            var head = await repo.HeadAsync(ct);
            chaosVersion = head[..8] + (await repo.IsDirtyAsync(ct) ? "+U" : "");
            versionLabel = "";
        }
        else
        {
            if (await repo.IsDirtyAsync(ct))
                throw new AbraException($"{recipe} has locally unstaged changes; abra will not deploy them without --chaos:\n{await repo.StatusAsync(ct)}");
            var version = request.Version ?? (type.Contains(':') ? type.Split(':', 2)[1] : null)
                ?? (await repo.ReleaseTagsAsync(ct)).LastOrDefault()?.Name
                ?? throw new AbraException($"{recipe} has no published release; deploy it with --chaos");
            if ((await repo.ReleaseTagsAsync(ct)).All(t => t.Name != version))
                throw new AbraException($"{recipe} has no release tag '{version}'");
            await repo.CheckoutAsync(version, ct);
            versionLabel = version;
            envFile.Set("TYPE", $"{recipe}:{version}");
            envFile.Save();
        }

        var project = ProjectOf(envPath, recipe, repo.Path, stack);
        var values = project.Values;
        var compose = project.Files[0];
        if (request.Chaos)
            // abra keeps the maintainer's version label on chaos deploys.
            versionLabel = project.Expand(compose.VersionLabel ?? "");

        await CheckSecretsAsync(envPath, stack, ct);

        var labels = new Dictionary<string, string>
        {
            [stack.Label(AbraLabel.Recipe)] = recipe,
            [stack.Label(AbraLabel.Chaos)] = request.Chaos ? "true" : "false",
            [stack.Label(AbraLabel.Version)] = versionLabel,
        };
        if (request.Chaos) labels[stack.Label(AbraLabel.ChaosVersion)] = chaosVersion;
        var labelFile = Path.Combine(Path.GetDirectoryName(envPath)!, $".{domain}.labels.yml");
        await File.WriteAllTextAsync(labelFile, LabelOverlay(labels), ct);

        // Taken before the deploy, so that an UpdateStatus an earlier update left is not read as ours.
        var before = await StackSnapshot.CaptureAsync(docker, stack.Value, time, ct);
        await docker.StackDeployAsync(stack.Value, [.. project.Files.Select(f => Path.Combine(repo.Path, f.Path)), labelFile], ct,
            env: AppEnv.DeployEnvironment(values), cwd: repo.Path);

        if (!request.NoConvergeChecks)
        {
            if (watcher is null) throw new AbraException("this driver was built without a convergence watcher; deploy with --no-converge-checks");
            var timeout = compose.TimeoutLabel(values) ?? 300;
            var convergence = new ConvergenceRequest(stack.Value, project.Services.Select(s => s.Name).ToList(), TimeSpan.FromSeconds(timeout))
                { Before = before, Labels = DeployedLabels.Of(project, stack) };
            var verdict = await watcher.WaitAsync(convergence, ct);
            if (verdict.Outcome != ConvergenceOutcome.Converged)
                throw new AbraException($"deploy did not converge: {verdict.Summary}");
        }
    }

    /// <summary>The project a deploy of the app makes at the recipe's current checkout.</summary>
    private static RecipeProject ProjectOf(string envPath, string recipe, string recipePath, StackName stack)
    {
        try
        {
            return AppEnv.Load(envPath, recipePath).Project(stack);
        }
        catch (ConfigException ex)
        {
            throw new AbraException($"{recipe}: {ex.Message}");
        }
    }

    private async Task CheckSecretsAsync(string envPath, StackName stack, CancellationToken ct)
    {
        var existing = await docker.NamesWithPrefixAsync("secret", stack.Of(""), ct);
        var missing = AppSecrets.Declared(envPath).Select(s => stack.Secret(s.Name, s.Version)).Where(n => !existing.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new AbraException($"secret not generated: {string.Join(", ", missing)} (run 'abra app secret generate --all')");
    }

    private static string LabelOverlay(Dictionary<string, string> labels)
    {
        var sb = new StringBuilder("version: \"3.8\"\nservices:\n  app:\n    deploy:\n      labels:\n");
        foreach (var (k, v) in labels) sb.Append($"        {k}: \"{v.Replace("\"", "\\\"")}\"\n");
        return sb.ToString();
    }

    /// <summary><c>abra app undeploy</c>, for the driver's command line; the harness's own removal is <see cref="AppRemoval"/>.</summary>
    public async Task UndeployAsync(string domain, CancellationToken ct)
    {
        var stack = StackOf(dir.FindEnv(domain), domain);
        await docker.StackRemoveAsync(stack.Value, ct);
    }

    public async Task VolumeRemoveAsync(string domain, CancellationToken ct)
    {
        var stack = StackOf(dir.FindEnv(domain), domain);
        foreach (var v in await docker.ResourceIdsAsync("volume", stack.Value, ct))
            await docker.RemoveAsync("volume", [v], ct);
    }

    public async Task SecretRemoveAllAsync(string domain, CancellationToken ct)
    {
        var stack = StackOf(dir.FindEnv(domain), domain);
        var secrets = await docker.NamesWithPrefixAsync("secret", stack.Of(""), ct);
        if (secrets.Count > 0) await docker.RemoveAsync("secret", secrets, ct);
    }

    public Task AppRemoveAsync(string domain, CancellationToken ct)
    {
        var envPath = dir.FindEnv(domain);
        File.Delete(envPath);
        File.Delete(Path.Combine(Path.GetDirectoryName(envPath)!, $".{domain}.labels.yml"));
        var backups = LocalBackupBot.AppFolder(domain);
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        return Task.CompletedTask;
    }

    public async Task<BackupSnapshot> BackupCreateAsync(string domain, CancellationToken ct)
    {
        var (stack, plan) = BackupPlanOf(domain);
        return await new LocalBackupBot(docker, runner).CreateAsync(domain, stack, plan, ct);
    }

    public Task RestoreAsync(string domain, string snapshot, CancellationToken ct)
    {
        var (stack, plan) = BackupPlanOf(domain);
        return new LocalBackupBot(docker, runner).RestoreAsync(domain, stack, plan, snapshot, ct);
    }

    private (StackName Stack, BackupPlan Plan) BackupPlanOf(string domain)
    {
        var envPath = dir.FindEnv(domain);
        var recipe = (EnvFile.Load(envPath).Get("TYPE") ?? "").Split(':')[0];
        var stack = StackOf(envPath, domain);
        var recipePath = dir.RecipePath(recipe);
        var project = ProjectOf(envPath, recipe, recipePath, stack);
        var plan = BackupPlan.From(project.Files, project.Values);
        if (!plan.Capable) throw new AbraException($"{domain}: no service has backupbot.backup=true; nothing to back up");
        return (stack, plan);
    }
}
