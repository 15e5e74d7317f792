using Newtonsoft.Json.Linq;
using RecipeCi.Files;
using RecipeCi.Locks;
using RecipeCi.Machine;
using RecipeCi.Results;
using RecipeCi.Status;
using RecipeCi.Verdicts;

namespace RecipeCi.Tests.Unit;

/// <summary>
/// The Status reader over recorded lock folders: lock files with their records, a /proc/locks text
/// that says which inodes the kernel holds a flock on, reservations and run folders.
/// </summary>
public sealed class StatusTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private static readonly DateTimeOffset Now = Start.AddMinutes(7);
    private const int LivePid = 4242;

    private readonly string _root = Directory.CreateTempSubdirectory("recipe-ci-status-").FullName;
    private string LockDir => Path.Combine(_root, "locks");

    [Fact]
    public void Nothing_running_is_exit_0_and_says_so()
    {
        Directory.CreateDirectory(LockDir);
        var report = Read("");
        Assert.Empty(report.Runs);
        Assert.False(report.Running);
        Assert.Equal(StatusReport.NothingRuns, report.ExitCode);
        Assert.Empty(report.Lines());
        Assert.Equal($"Status: nothing runs: {LockDir} holds no lock file and no reservation", report.Answer);
    }

    [Fact]
    public void A_live_run_shows_its_record_and_current_stage_and_is_exit_3()
    {
        var run = RunFolder("run-1", ("01-FetchRecipe", 30), ("02-RunAdmission", null));
        // Held as a run holds it: the reader must see the record through the exclusive flock.
        using var held = AppDomainLock.TryAcquire(LockDir, "hell-0a1b2c.ci.local")!;
        held.Record(Record("hell-0a1b2c.ci.local", run) with { Target = "Recipe" });
        var report = Read(Granted(held.Path));

        var entry = Assert.Single(report.Runs);
        Assert.Equal(RunState.Live, entry.State);
        Assert.Equal(("hello", "run-1", "Recipe", LivePid, true), (entry.Recipe, entry.RunId, entry.Target, entry.Pid, entry.PidAlive));
        Assert.Equal("RunAdmission", entry.Stage);
        Assert.Equal(Start.AddSeconds(30), entry.Since);
        Assert.Null(entry.Note);
        Assert.Equal(StatusReport.SomethingRuns, report.ExitCode);
        var row = report.Lines().Last();
        foreach (var cell in (string[])["live", "hello", "run-1", "Recipe", "RunAdmission", "(6m30s)", "4242 alive", "hell-0a1b2c.ci.local"])
            Assert.Contains(cell, row);
        Assert.Equal("Status: 1 run(s) alive: hello (Recipe, RunAdmission)", report.Answer);
    }

    [Fact]
    public void A_run_between_stages_is_after_its_last_listed_stage()
    {
        var run = RunFolder("run-1", ("01-FetchRecipe", 30), ("02-RunAdmission", 20));
        var report = Read(Granted(WriteLock(Record("hell-0a1b2c.ci.local", run))));
        var entry = Assert.Single(report.Runs);
        Assert.Equal("after RunAdmission", entry.Stage);
        Assert.Equal(Start.AddSeconds(50), entry.Since);
    }

    [Fact]
    public void A_lock_file_nobody_holds_is_stale_and_does_not_count_as_running()
    {
        var file = WriteLock(Record("hell-0a1b2c.ci.local", RunFolder("run-1", ("01-FetchRecipe", null))) with { Pid = 999999 });
        // A process waiting for the lock holds nothing; another file's flock says nothing of this one.
        var id = FileIdentity.Of(file)!.Value;
        var procLocks = $"1: -> FLOCK  ADVISORY  WRITE 77 {id.Major:x2}:{id.Minor:x2}:{id.Inode} 0 EOF\n2: FLOCK  ADVISORY  WRITE 78 {id.Major:x2}:{id.Minor:x2}:{id.Inode + 1} 0 EOF\n";
        var report = Read(procLocks);

        var entry = Assert.Single(report.Runs);
        Assert.Equal(RunState.Stale, entry.State);
        Assert.False(entry.PidAlive);
        Assert.Equal(StatusReport.NothingRuns, report.ExitCode);
        Assert.Contains("999999 dead", report.Lines().Last());
        Assert.StartsWith("  stale", report.Lines().Last());
        Assert.Equal($"Status: nothing runs; 1 stale entry in {LockDir} (the janitor clears them)", report.Answer);
    }

    [Fact]
    public void A_reservation_shows_on_its_run_and_one_without_a_lock_file_is_stale()
    {
        var file = WriteLock(Record("hell-0a1b2c.ci.local", RunFolder("run-1", ("01-FetchRecipe", null))));
        Reserve("hell-0a1b2c.ci.local", 512, 1024);
        Reserve("gone-123456.ci.local", 64, 128);
        var report = Read(Granted(file));

        Assert.Equal(2, report.Runs.Count);
        var live = report.Runs.Single(r => r.Domain == "hell-0a1b2c.ci.local");
        Assert.Equal((RunState.Live, new ReservedShare(512, 1024)), (live.State, live.Reserved));
        var orphan = report.Runs.Single(r => r.Domain == "gone-123456.ci.local");
        Assert.Equal((RunState.Stale, new ReservedShare(64, 128)), (orphan.State, orphan.Reserved));
        Assert.Contains("a reservation without a lock file", orphan.Note);
        Assert.Contains("512 MB mem, 1024 MB disk", report.Lines().Single(l => l.Contains("hell-0a1b2c")));
        Assert.Equal(StatusReport.SomethingRuns, report.ExitCode);
        Assert.Equal($"Status: 1 run(s) alive: hello (FetchRecipe); 1 stale entry in {LockDir} (the janitor clears them)", report.Answer);
    }

    [Fact]
    public void A_run_whose_folder_is_gone_is_still_listed_with_a_note()
    {
        var file = WriteLock(Record("hell-0a1b2c.ci.local", Path.Combine(_root, "artifacts", "runs", "vanished", "hello")));
        var entry = Assert.Single(Read(Granted(file)).Runs);
        Assert.Equal(RunState.Live, entry.State);
        Assert.Null(entry.Stage);
        Assert.Null(entry.Since);
        Assert.StartsWith("run folder gone", entry.Note);
    }

    [Fact]
    public void An_unreadable_record_or_none_yet_is_a_note_not_an_error()
    {
        var garbled = AppDomainLock.PathFor(LockDir, "garb-000000.ci.local");
        var starting = AppDomainLock.PathFor(LockDir, "strt-000000.ci.local");
        Directory.CreateDirectory(LockDir);
        File.WriteAllText(garbled, "{\"run_id\": \"half");
        File.WriteAllText(starting, "");
        var report = Read(Granted(garbled) + Granted(starting));

        Assert.All(report.Runs, r => Assert.Equal((RunState.Live, null, null), (r.State, r.Recipe, r.Pid)));
        Assert.Equal("record unreadable", report.Runs.Single(r => r.Domain == "garb-000000.ci.local").Note);
        Assert.StartsWith("no record", report.Runs.Single(r => r.Domain == "strt-000000.ci.local").Note);
        Assert.Equal(StatusReport.SomethingRuns, report.ExitCode);
    }

    [Fact]
    public void The_record_of_an_older_run_without_a_target_is_read_and_the_json_says_running()
    {
        var record = Record("hell-0a1b2c.ci.local", RunFolder("run-1", ("01-FetchRecipe", null)));
        var old = JObject.Parse(JsonConvention.Serialize(record));
        old.Remove("target");
        Directory.CreateDirectory(LockDir);
        var file = AppDomainLock.PathFor(LockDir, record.Domain);
        File.WriteAllText(file, old.ToString());
        var report = Read(Granted(file));

        var entry = Assert.Single(report.Runs);
        Assert.Equal(("hello", null), (entry.Recipe, entry.Target));
        var json = JObject.Parse(JsonConvention.Serialize(report));
        Assert.True(json["running"]!.Value<bool>());
        Assert.Equal("live", json["runs"]![0]!["state"]!.Value<string>());
    }

    private StatusReport Read(string procLocks) => RunStatus.Read(LockDir, procLocks, pid => pid == LivePid, Now);

    private static LockRecord Record(string domain, string runDirectory) =>
        new("run-1", LivePid, "hello", domain, domain.Replace('.', '_'), "local", "local", runDirectory, Path.Combine(runDirectory, "abra"), Start);

    /// <summary>Writes the record into the domain's lock file, as a run does.</summary>
    private string WriteLock(LockRecord record)
    {
        Directory.CreateDirectory(LockDir);
        var file = AppDomainLock.PathFor(LockDir, record.Domain);
        File.WriteAllText(file, JsonConvention.Serialize(record));
        return file;
    }

    /// <summary>The /proc/locks line of a flock granted on <paramref name="file"/>.</summary>
    private static string Granted(string file)
    {
        var id = FileIdentity.Of(file)!.Value;
        return $"1: FLOCK  ADVISORY  WRITE {LivePid} {id.Major:x2}:{id.Minor:x2}:{id.Inode} 0 EOF\n";
    }

    /// <summary>A run folder with its stage folders; those with a duration are listed in results.json, back to back from the start.</summary>
    private string RunFolder(string runId, params (string Folder, double? DurationS)[] stages)
    {
        var run = Path.Combine(_root, "artifacts", "runs", runId, "hello");
        var listed = new List<StageResult>();
        var at = Start;
        foreach (var (folder, duration) in stages)
        {
            Directory.CreateDirectory(Path.Combine(run, folder));
            if (duration is not { } d) continue;
            listed.Add(new StageResult { Name = folder[3..], Folder = folder, Status = StageStatus.Passed, StartedAt = at, DurationS = d });
            at += TimeSpan.FromSeconds(d);
        }
        if (listed.Count > 0) new RunResult { RunId = runId, Recipe = "hello", Stages = listed, StartedAt = Start }.Write(run, ArtifactWriter.NoSecrets);
        return run;
    }

    private void Reserve(string domain, int memoryMb, int diskMb)
    {
        var book = new ReservationBook(LockDir);
        book.Locked(() =>
        {
            book.Write(new Reservation("r", LivePid, domain, memoryMb, diskMb, Start));
            return true;
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
