using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Sweeps;
using RecipeCi.Verdicts;

// `RecipeCi abra ...` is the local abra-compatible driver behind abra's own command line.
if (args is ["abra", .. var abraArgs])
    return await LocalAbraCommandLine.OnThisMachine(Console.Out, Console.Error).RunAsync(abraArgs);

// With --json, stdout is the target's JSON alone (a script pipes it into jq): the host's banners,
// task lines and table go to stderr.
if (RunOptions.AsksForJson(args)) Console.SetOut(Console.Error);

return await new CakeHost()
    .UseContext<RecipeContext>()
    .UseLifetime<RecipeLifetime>()
    .UseUsage(RunOptions.Usage())
    .MapException<BadInputException>(CakeHost.UsageExitCode)
    .UseDynamicTasks(context => SweepRecipeTasks.For((RecipeContext)context))
    .RunAsync(args);
