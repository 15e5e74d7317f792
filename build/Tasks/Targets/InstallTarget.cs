using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Install")]
[TaskDescription("Install the head on a real swarm: converged, identity checked, serving its health path and probes; then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class InstallTarget : FrostingTask;
