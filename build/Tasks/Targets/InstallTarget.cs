using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Install")]
[TaskDescription("Install the head on a real swarm: converged, identity checked, serving its health path and probes; then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(AwaitBaseHealthyTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Install)]
public sealed class InstallTarget : FrostingTask;
