using RecipeCi.Host;
using RecipeCi.Tasks.Stages;

namespace RecipeCi.Tasks.Targets;

[TaskName("Recipe")]
[TaskDescription("The whole lifecycle of a recipe in one process: install on the base, upgrade to the head (HC1), then tear down")]
[IsDependentOn(typeof(AssertHeadDeployedTask))]
[IsDependentOn(typeof(TeardownTask))]
public sealed class RecipeTarget : FrostingTask;
