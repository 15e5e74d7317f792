using RecipeCi.Recipes;
using RecipeCi.Tests.Support;

namespace RecipeCi.Tests.Unit;

public sealed class BackupPlanTests
{
    private static BackupPlan Plan(string compose, Dictionary<string, string>? env = null) =>
        BackupPlan.From([ComposeFile.Parse(compose, "compose.yml")], env ?? []);

    [Fact]
    public void Reads_volumes_paths_exclusions_and_hooks_from_backupbot_labels()
    {
        var plan = Plan("""
            services:
              db:
                image: postgres:15
                volumes: [db-data:/var/lib/postgresql/data, "scratch:/tmp/x", /host/path:/h]
                deploy:
                  labels:
                    backupbot.backup: ${ENABLE_BACKUPS:-true}
                    backupbot.backup.pre-hook: "/pg_backup.sh backup"
                    backupbot.backup.volumes.db-data.path: "backup.sql,extra"
                    backupbot.backup.volumes.scratch: "false"
                    backupbot.restore.post-hook: "/pg_backup.sh restore"
              app:
                image: app:1
                volumes: [{type: volume, source: uploads, target: /uploads}]
                deploy:
                  labels: ["backupbot.backup=true"]
              web:
                image: web:1
                volumes: [cache:/cache]
            volumes: {db-data: {}, scratch: {}, uploads: {}, cache: {}}
            """);
        Assert.True(plan.Capable);
        Assert.Equal(["db", "app"], plan.Services.Select(s => s.Service));
        var db = plan.Services[0];
        Assert.Equal("/pg_backup.sh backup", db.BackupPreHook);
        Assert.Equal("/pg_backup.sh restore", db.RestorePostHook);
        Assert.Null(db.RestorePreHook);
        var volume = Assert.Single(db.Volumes);
        Assert.Equal(("db-data", "/var/lib/postgresql/data"), (volume.Name, volume.MountPath));
        Assert.Equal(["backup.sql", "extra"], volume.Paths!);
        var uploads = Assert.Single(plan.Services[1].Volumes);
        Assert.Equal(("uploads", "/uploads"), (uploads.Name, uploads.MountPath));
        Assert.Null(uploads.Paths);
    }

    [Fact]
    public void Backups_disabled_by_env_or_absent_labels_mean_not_capable()
    {
        const string compose = "services:\n  db:\n    image: x:1\n    volumes: [d:/d]\n    deploy:\n      labels: [\"backupbot.backup=${ENABLE_BACKUPS:-true}\"]\nvolumes: {d: {}}\n";
        Assert.True(Plan(compose).Capable);
        Assert.False(Plan(compose, new() { ["ENABLE_BACKUPS"] = "false" }).Capable);
        Assert.False(Plan("services:\n  app:\n    image: x:1\n").Capable);
    }

    [Theory]
    [InlineData(TestDb.Plain, false)]
    [InlineData(TestDb.MemoryWithDump, true)]
    [InlineData(TestDb.MemoryLiveFolder, true)]
    public void Test_recipes_compose_files_are_valid_and_declare_what_they_say(TestDb db, bool capable)
    {
        var plan = Plan(TestRecipe.Compose(new TestRelease("1.0.0+1") { Db = db }));
        Assert.Equal(capable, plan.Capable);
        if (db == TestDb.MemoryWithDump) Assert.Equal(["backup.sql"], plan.Services.Single().Volumes.Single().Paths!);
        if (db == TestDb.MemoryLiveFolder) Assert.Null(plan.Services.Single().Volumes.Single().Paths);
    }
}
