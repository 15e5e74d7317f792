namespace RecipeCi.Bench;

public enum BenchScenarioKind { GreenUpdate, Rollback, StaleStatus, LabelOnly }

/// <summary>
/// One benchmark scenario: the change a repetition makes to a small stack, the verdict swarm's own
/// record says is right, and the service whose transition is the truth.
/// </summary>
public sealed record BenchScenario(BenchScenarioKind Kind, string Name, string Description, string Expected, string Service)
{
    public static readonly IReadOnlyList<BenchScenario> All =
    [
        new(BenchScenarioKind.GreenUpdate, "green-update", "app's task template changes; the new task is healthy", "converged", "app"),
        new(BenchScenarioKind.Rollback, "rollback", "app's new task fails its healthcheck; swarm rolls the update back", "rolled_back", "app"),
        new(BenchScenarioKind.StaleStatus, "stale-status",
            "app carries rollback_completed from an earlier update; the change updates web alone (docker service update: a stack deploy resets every service's status)",
            "converged", "web"),
        new(BenchScenarioKind.LabelOnly, "label-only", "only app's service labels change: no task is replaced", "converged", "app"),
    ];

    /// <summary>A recognisable stack for one scenario and judge: 1-replica busybox services, 1 s monitor.</summary>
    public const string Compose = """
        version: "3.8"
        x-service: &service
          image: recipe-ci/busybox:1
          command:
            - sh
            - -c
            - trap 'exit 0' TERM; while true; do sleep 1; done
          deploy: &deploy
            restart_policy: {condition: any, delay: 500ms}
            update_config: {failure_action: rollback, order: start-first, monitor: 1s}
            rollback_config: {order: start-first, monitor: 1s}
        services:
          app:
            <<: *service
            environment: ["V=${APP_V}"]
            healthcheck: {test: ["CMD-SHELL", "${APP_CHECK}"], interval: 500ms, timeout: 5s, retries: 1}
            deploy:
              <<: *deploy
              labels: ["bench.stamp=${APP_STAMP}"]
          web:
            <<: *service
            environment: [V=1]
            healthcheck: {test: ["CMD-SHELL", "true"], interval: 500ms, timeout: 5s, retries: 1}
        """;
}
