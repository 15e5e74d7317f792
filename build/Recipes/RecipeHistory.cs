using RecipeCi.Processes;
using YamlDotNet.RepresentationModel;

namespace RecipeCi.Recipes;

/// <summary>One commit of a generated recipe repository: its whole file tree and an optional release tag.</summary>
public sealed record HistoryCommit(string Message, string? Tag, IReadOnlyDictionary<string, string> Files);

/// <summary>
/// A recipe repository described as a list of commits, materialised as a real git repository
/// with annotated release tags. Dates and identities are fixed, so the same history always gives
/// the same commit ids. The sample recipes and the test scenarios are written this way.
/// </summary>
public sealed class RecipeHistory(IReadOnlyList<HistoryCommit> commits)
{
    public const string FileName = "history.yaml";
    /// <summary>The one branch a built history has.</summary>
    public const string Branch = "main";
    public IReadOnlyList<HistoryCommit> Commits { get; } = commits;

    /// <summary>The refs the built repository will have, as <c>git ls-remote</c> would name them: HEAD, its branch and its tags.</summary>
    public IReadOnlyList<string> RefNames =>
        ["HEAD", $"refs/heads/{Branch}", .. Commits.Select(c => c.Tag).OfType<string>().Select(t => $"refs/tags/{t}")];

    public static bool IsHistoryFolder(string path) => File.Exists(System.IO.Path.Combine(path, FileName));

    /// <summary>
    /// Reads <c>history.yaml</c>: a <c>template</c> folder of recipe files with <c>@NAME@</c>
    /// placeholders, and <c>commits</c>, each with a message, an optional tag, the placeholder
    /// values and optional per-commit file replacements.
    /// </summary>
    public static RecipeHistory Load(string folder)
    {
        var file = System.IO.Path.Combine(folder, FileName);
        var y = new YamlReader(file);
        var top = y.Entries(y.Load(File.ReadAllText(file)), "", ["template", "commits"]);
        var templateDir = System.IO.Path.Combine(folder, y.OptionalString(top, "template", "") ?? "template");
        if (!Directory.Exists(templateDir))
            throw new ConfigException($"{file}: template folder '{templateDir}' not found. Fix: create it or set 'template:'");
        var template = ReadTree(templateDir);
        if (!top.TryGetValue("commits", out var commitsNode) || commitsNode is not YamlSequenceNode seq || seq.Children.Count == 0)
            throw new ConfigException($"{file}: 'commits' must list at least one commit. Fix: add '- message: ...' entries");

        var commits = new List<HistoryCommit>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"commits[{i}]";
            var c = y.Entries(seq.Children[i], path, ["message", "tag", "vars", "files", "remove"]);
            var vars = y.OptionalStringMap(c, "vars", path);
            var files = new Dictionary<string, string>(template);
            foreach (var (target, source) in y.OptionalStringMap(c, "files", path))
            {
                var src = System.IO.Path.Combine(folder, source);
                if (!File.Exists(src)) throw y.Error(c["files"], $"{path}.files.{target}", $"'{source}' not found", "give a path relative to the history folder");
                files[target] = File.ReadAllText(src);
            }
            foreach (var gone in y.OptionalStringMap(c, "remove", path).Keys) files.Remove(gone);
            commits.Add(new HistoryCommit(
                y.RequiredString(c, "message", path, seq.Children[i], "say what the commit does"),
                y.OptionalString(c, "tag", path),
                files.ToDictionary(f => f.Key, f => Render(f.Value, vars))));
        }
        return new RecipeHistory(commits);
    }

    private static Dictionary<string, string> ReadTree(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText);

    public static string Render(string text, IReadOnlyDictionary<string, string> vars) =>
        vars.Aggregate(text, (t, v) => t.Replace("@" + v.Key + "@", v.Value, StringComparison.Ordinal));

    /// <summary>Writes the repository at <paramref name="destination"/> (which must not exist yet).</summary>
    public async Task BuildAsync(string destination, CommandRunner runner, CancellationToken ct)
    {
        Directory.CreateDirectory(destination);
        var baseEnv = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Recipe CI", ["GIT_AUTHOR_EMAIL"] = "recipe-ci@localhost",
            ["GIT_COMMITTER_NAME"] = "Recipe CI", ["GIT_COMMITTER_EMAIL"] = "recipe-ci@localhost",
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        };
        Task Git(Dictionary<string, string?> env, params string[] args) =>
            runner.RunAsync(new Command("git", ["-C", destination, .. args]) { Environment = env }, ct);

        await Git(baseEnv, "init", "--quiet", $"--initial-branch={Branch}");
        for (var i = 0; i < Commits.Count; i++)
        {
            var commit = Commits[i];
            foreach (var existing in Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}.git{System.IO.Path.DirectorySeparatorChar}")))
                File.Delete(existing);
            foreach (var (rel, content) in commit.Files)
            {
                var full = System.IO.Path.Combine(destination, rel);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content, ct);
                if (rel.EndsWith(".sh", StringComparison.Ordinal))
                    File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            var date = $"{1767225600 + i * 3600} +0000"; // 2026-01-01, one hour per commit
            var env = new Dictionary<string, string?>(baseEnv) { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date };
            await Git(env, "add", "--all");
            await Git(env, "commit", "--quiet", "--allow-empty", "-m", commit.Message);
            if (commit.Tag is not null)
                await Git(env, "tag", "-a", commit.Tag, "-m", $"chore: publish {commit.Tag} release");
        }
    }
}
