using RecipeCi.Context;
using RecipeCi.Host;
using RecipeCi.Lifecycle;
using RecipeCi.Tasks.Stages;
using RecipeCi.Verdicts;

namespace RecipeCi.Tasks.Targets;

[TaskName("Recipe")]
[TaskDescription("The whole lifecycle in one process: install on the base, upgrade to the head (HC1), backup and restore, custom checks (each at its after: moment), lint of the exact ref; a failed upgrade still gets the later rungs tried on the head installed cold; then tear down (--stages picks rungs)")]
[ReadsOptions(RunOptions.RecipeRunOptions)]
[IsDependentOn(typeof(CustomChecksAfterInstallTask))]
[IsDependentOn(typeof(CustomChecksAfterUpgradeTask))]
[IsDependentOn(typeof(CustomChecksAfterRestoreTask))]
[IsDependentOn(typeof(CustomChecksTask))]
[IsDependentOn(typeof(LintRecipeTask))]
[IsDependentOn(typeof(TeardownTask))]
[Covers(Rung.Install, Rung.Upgrade, Rung.BackupRestore, Rung.Custom, Rung.Lint)]
public sealed class RecipeTarget : FrostingTask;
