using RecipeCi.Abra;
using RecipeCi.Context;
using RecipeCi.Host;

// `RecipeCi abra ...` is the local abra-compatible driver behind abra's own command line.
if (args is ["abra", .. var abraArgs])
    return await LocalAbraCommandLine.RunAsync(abraArgs, Console.Out, Console.Error);

return await new CakeHost()
    .UseContext<RecipeContext>()
    .UseLifetime<RecipeLifetime>()
    .UseUsage(RunOptions.Usage())
    .RunAsync(args);
