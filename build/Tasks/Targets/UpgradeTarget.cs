using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Upgrade")]
[TaskDescription("Upgrade a recipe from its previous release to the head (HC1), on a real swarm, then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(AssertHeadDeployedTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class UpgradeTarget : FrostingTask;
