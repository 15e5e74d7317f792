using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Upgrade")]
[TaskDescription("Upgrade a recipe from its previous release to the head (HC1), on a real swarm, then tear down")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(VerifyUpgradeMarkerTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Install, Rung.Upgrade, UpgradeOrNothing = true)]
public sealed class UpgradeTarget : FrostingTask;
