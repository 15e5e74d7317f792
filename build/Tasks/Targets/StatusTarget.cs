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
        if (context.Options.Json)
        {
            // The process's own stdout, which the host left to the JSON (Program.cs sends its lines to stderr).
            using var stdout = new StreamWriter(Console.OpenStandardOutput());
            stdout.WriteLine(JsonConvert.SerializeObject(report, Formatting.Indented, JsonConvention.Settings));
        }
        else
        {
            foreach (var line in report.Lines()) context.Say(line);
            // After Cake's table, so that the last line is the answer.
            context.SayLast(report.Answer);
        }
        context.ExitCode = report.ExitCode;
    }
}
