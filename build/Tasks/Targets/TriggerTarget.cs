using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Publishing;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Trigger")]
[TaskDescription("Read --comment as a !testme trigger; print and write the Drone parameter STAGES (the rungs to run), exit 1 when it is not a trigger")]
[ReadsOptions("comment artifacts")]
public sealed class TriggerTarget : FrostingTask<RecipeContext>
{
    public const string FileName = "trigger.env";

    public override void Run(RecipeContext context)
    {
        var comment = context.Options.Comment ?? throw new BadInputException("Trigger needs --comment=<the PR comment body>");
        if (TriggerParser.Parse(comment) is not { } mode)
        {
            context.Say("not a trigger: only '!testme' and '!testme --quick' start a run");
            context.ExitCode = 1;
            return;
        }
        var line = $"STAGES={TriggerParser.Stages(mode)}";
        Directory.CreateDirectory(context.Options.Artifacts);
        File.WriteAllText(Path.Combine(context.Options.Artifacts, FileName), line + "\n");
        context.Say(line);
    }
}
