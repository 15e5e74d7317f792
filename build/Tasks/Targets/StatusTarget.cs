using Newtonsoft.Json;
using RecipeCi.Context;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Status;

namespace RecipeCi.Tasks.Targets;

[TaskName("Status")]
[TaskDescription("Show the runs alive now from the lock folder (stale entries marked); exit 0 when nothing runs, 3 when something does")]
[ReadsOptions("lock-dir json")]
public sealed class StatusTarget : FrostingTask<RecipeContext>
{
    public override void Run(RecipeContext context)
    {
        var report = RunStatus.Read(context.Options.LockDir, File.ReadAllText(ProcLocks.Path), pid => Directory.Exists($"/proc/{pid}"), context.Clock.GetUtcNow());
        // One line, so a script finds it among the host's task lines.
        if (context.Options.Json) context.Say(JsonConvert.SerializeObject(report, Formatting.None, JsonConvention.Settings));
        else foreach (var line in report.Lines()) context.Say(line);
        context.ExitCode = report.ExitCode;
    }
}
