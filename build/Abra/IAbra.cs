namespace RecipeCi.Abra;

/// <summary>What a deploy is asked to do, as abra's flags say it.</summary>
/// <param name="Version">A release tag to check out and deploy (pinned), or null.</param>
/// <param name="Chaos">Deploy the working tree as it is (<c>--chaos</c>); abra stamps its HEAD.</param>
/// <param name="NoConvergeChecks">Return once the stack is applied (<c>-c</c>); the harness owns convergence.</param>
public sealed record DeployRequest(string? Version = null, bool Chaos = false, bool NoConvergeChecks = true);

/// <summary>A backup of an app: the snapshot id, and what it holds when the driver can tell.</summary>
public sealed record BackupSnapshot(string Id, long? Files, long? Bytes);

/// <summary>
/// The operations the lifecycle needs from abra. Implemented over the real <c>abra</c> CLI
/// (<see cref="AbraCli"/>) and by the abra-compatible <see cref="LocalAbraDriver"/>.
/// </summary>
public interface IAbra
{
    /// <summary><c>cli</c> or <c>local</c>; recorded in every result.</summary>
    string Kind { get; }

    Task AppNewAsync(string recipe, string? version, string server, string domain, CancellationToken ct);
    Task SecretGenerateAllAsync(string domain, CancellationToken ct);
    Task DeployAsync(string domain, DeployRequest request, CancellationToken ct);
    Task VolumeRemoveAsync(string domain, CancellationToken ct);
    Task SecretRemoveAllAsync(string domain, CancellationToken ct);
    Task AppRemoveAsync(string domain, CancellationToken ct);
    /// <summary><c>abra app backup create</c>: backs up what the app's backupbot labels name.</summary>
    Task<BackupSnapshot> BackupCreateAsync(string domain, CancellationToken ct);
    /// <summary><c>abra app restore</c> of one snapshot: this run's, never "the latest of any run".</summary>
    Task RestoreAsync(string domain, string snapshot, CancellationToken ct);
}

/// <summary>abra refused or failed an operation; the message is abra's own.</summary>
public sealed class AbraException(string message) : Exception(message);
