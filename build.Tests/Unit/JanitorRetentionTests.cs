using Microsoft.Extensions.Time.Testing;
using RecipeCi.Processes;
using RecipeCi.Publishing;
using RecipeCi.Reaping;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

/// <summary>The janitor prunes bad-input runs' kept messages by its retention and its clock; no lock file means no docker.</summary>
public sealed class JanitorRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-20T12:00:00Z");
    private readonly string _root = Directory.CreateTempSubdirectory("recipe-ci-retention-").FullName;
    private readonly FakeTimeProvider _clock = new(Now);

    private string Kept => BadInputRecord.Root(Path.Combine(_root, "artifacts"));

    private void Write(string runId, string file, TimeSpan ago)
    {
        var path = Path.Combine(Kept, runId, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, (Now - ago).UtcDateTime);
    }

    private Task<JanitorReport> PassAsync()
    {
        var runner = new CommandRunner();
        return new Janitor(new DockerCli(runner), runner, _clock, TimeSpan.FromMinutes(60), new Retention(TimeSpan.FromDays(14)), _ => { })
            .RunAsync(Path.Combine(_root, "locks"), unrecordedSuffix: null, Kept, CancellationToken.None);
    }

    private string[] RunIdsLeft() => [.. Directory.EnumerateDirectories(Kept).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_run_ids_kept_messages_go_whole_once_their_newest_write_is_older_than_the_retention_by_the_janitors_clock()
    {
        Assert.Empty((await PassAsync()).Pruned);

        Write("old", "hello.txt", TimeSpan.FromDays(20));
        Write("old", "hello.pr-comment.md", TimeSpan.FromDays(20));
        Write("old", "other.txt", TimeSpan.FromDays(15));
        // Publish run again a day ago: the folder counts from then.
        Write("republished", "hello.txt", TimeSpan.FromDays(20));
        Write("republished", "hello.pr-comment.md", TimeSpan.FromDays(1));
        Write("recent", "hello.txt", TimeSpan.FromDays(13));

        Assert.Equal([Path.Combine(Kept, "old")], (await PassAsync()).Pruned);
        Assert.Equal(["recent", "republished"], RunIdsLeft());

        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal([Path.Combine(Kept, "recent")], (await PassAsync()).Pruned);
        Assert.Equal(["republished"], RunIdsLeft());
    }

    [Fact]
    public void Retention_keeps_what_is_exactly_as_old_as_it_and_prunes_what_is_older()
    {
        var retention = new Retention(TimeSpan.FromDays(14));
        Assert.False(retention.Expired(Now - TimeSpan.FromDays(14), Now));
        Assert.True(retention.Expired(Now - TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1), Now));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
