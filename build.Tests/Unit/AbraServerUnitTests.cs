using RecipeCi.Abra;
using RecipeCi.Swarm;

namespace RecipeCi.Tests.Unit;

public sealed class HostGapTests
{
    [Theory]
    // docker 20.10.24's own texts, as this engine printed them.
    [InlineData("network \"rci-missing-net\" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed",
        "docker network create --driver overlay --attachable rci-missing-net")]
    [InlineData("no suitable node (scheduling constraints not satisfied on 1 node)", "docker node update --label-add")]
    [InlineData("no suitable node (missing plugin on 1 node)", "docker plugin install")]
    public void Names_what_the_host_lacks_and_how_to_provide_it(string docker, string fix) =>
        Assert.Contains(fix, HostGap.Explain(docker));

    [Theory]
    [InlineData("service app: secret not found: s_db_password_")]
    [InlineData("task: non-zero exit (1)")]
    [InlineData("no suitable node (insufficient resources on 1 node)")]
    public void Says_nothing_of_failures_that_are_the_recipes(string docker) => Assert.Null(HostGap.Explain(docker));
}

public sealed class AppSecretsTests : IDisposable
{
    private readonly string _env = Path.GetTempFileName();

    [Fact]
    public void Reads_versions_and_the_length_and_generate_hints_of_the_declaring_line()
    {
        File.WriteAllText(_env, "TYPE=x\nSECRET_DB_PASSWORD_VERSION=v2 # length=48\nSECRET_API_KEY_VERSION=v1 # generate=false\nSECRET_TOKEN_VERSION=v1\n");

        Assert.Equal([new DeclaredSecret("db_password", "v2", 48, true), new DeclaredSecret("api_key", "v1", 32, false), new DeclaredSecret("token", "v1", 32, true)],
            AppSecrets.Declared(_env));
    }

    public void Dispose() => File.Delete(_env);
}

/// <summary>What the real abra's backup prints, as the adapter reads it: an empty snapshot must be seen as empty.</summary>
public sealed class AbraBackupOutputTests
{
    private const string Restic = """
        Files:           5 new,     0 changed,     0 unmodified
        Added to the repository: 1.416 KiB (1.014 KiB stored)

        processed 5 files, 1.500 KiB in 0:00
        snapshot 1a2b3c4d saved
        """;

    [Fact]
    public void Restic_summary_gives_the_snapshot_its_file_count_and_size()
    {
        Assert.Equal(new BackupSnapshot("1a2b3c4d", 5, 1536), AbraCli.ReadSnapshot(Restic));
        Assert.Equal(new BackupSnapshot("deadbeef", 0, 0), AbraCli.ReadSnapshot("processed 0 files, 0 B in 0:00\nsnapshot deadbeef saved"));
    }

    [Fact]
    public void Without_restic_summary_the_counts_are_unknown_and_without_an_id_there_is_no_snapshot()
    {
        Assert.Equal(new BackupSnapshot("1a2b3c4d", null, null), AbraCli.ReadSnapshot("snapshot 1a2b3c4d saved"));
        Assert.Null(AbraCli.ReadSnapshot("processed 5 files, 1 KiB in 0:00"));
    }
}
