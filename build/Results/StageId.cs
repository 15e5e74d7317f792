using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RecipeCi.Results;

/// <summary>
/// Every stage a recipe run can record, in the order a run meets them. A stage's name in
/// results.json, stage.json, its folder and the task table is its member's name, which is its
/// task class's name without <c>Task</c> (a unit test holds the two to each other): compare stages
/// by this, never by their text.
/// </summary>
[JsonConverter(typeof(StringEnumConverter))]   // results.json and sweep state name a stage as its member, not in snake_case
public enum StageId
{
    FetchRecipe,
    PlanSummary,
    RunAdmission,
    Dependencies,
    VetBase,
    DeployBase,
    AwaitBaseConvergence,
    AwaitBaseHealthy,
    CustomChecksAfterInstall,
    SeedUpgradeMarker,
    CheckoutHead,
    VetHead,
    ChaosRedeploy,
    AwaitHeadConvergence,
    AwaitHeadHealthy,
    HeadIdentityCheck,
    VerifyUpgradeMarker,
    CustomChecksAfterUpgrade,
    ColdInstallHead,
    SeedMarker,
    Backup,
    Mutate,
    Restore,
    VerifyMarker,
    CustomChecksAfterRestore,
    ReinstallHead,
    CustomChecks,
    LintRecipe,
    Teardown,
}
