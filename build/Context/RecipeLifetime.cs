using System.Runtime.InteropServices;
using Cake.Core.Diagnostics;
using Cake.Core;
using RecipeCi.Files;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Verdicts;

namespace RecipeCi.Context;

/// <summary>
/// Around every target: SIGTERM, SIGINT and the run's deadline stop the current stage and let
/// teardown run; at the end the results are written, the summary printed and the exit code set
/// from the verdict, or from what stopped the run.
/// </summary>
public sealed class RecipeLifetime : FrostingLifetime<RecipeContext>
{
    private readonly List<PosixSignalRegistration> _signals = [];

    public override void Setup(RecipeContext context, ISetupContext info)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
            _signals.Add(PosixSignalRegistration.Create(signal, s =>
            {
                s.Cancel = true; // keep running until teardown is done
                context.RequestStop(RunStop.BySignal(s.Signal));
            }));
    }

    public override void Teardown(RecipeContext context, ITeardownContext info)
    {
        foreach (var s in _signals) s.Dispose();
        context.EndDeadline();
        if (context.CurrentRun is { } run)
        {
            var result = run.Finish();
            foreach (var line in RunSummary.Lines(result)) run.Say(line);
            foreach (var line in RunSummary.Closing(result, run.Stages.Results)) context.SayLast(run.Redact(line.Text), line.Colour);
            // A provision hook's malformed output is the operator's bad input, as a malformed recipes.yaml is.
            context.ExitCode = run.Dependencies.BadInput is not null ? CakeHost.UsageExitCode : result.Passed ? 0 : 1;
            run.Dispose();
            new Reports.ArtifactIndex(context.Options.Artifacts, context.Options.StateDir, ArtifactWriter.NoSecrets).Write(context.Say);
        }
        // After the sweep's last recipe process ended, or whatever stopped the sweep.
        context.SweepDependencies?.TeardownAsync().GetAwaiter().GetResult();
        if (context.Stop is { } stop) context.ExitCode = stop.ExitCode;
    }
}

public static class LogExtensions
{
    /// <summary>Writes a message as it is: Cake's log treats its text as a format string.</summary>
    public static void Say(this ICakeLog log, string message, LogLevel level = LogLevel.Information) =>
        log.Write(Verbosity.Normal, level, message.Replace("{", "{{").Replace("}", "}}"));
}
