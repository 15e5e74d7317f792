namespace RecipeCi.Verdicts;

/// <summary>Thrown inside a stage to end it with a specific outcome and reason.</summary>
public sealed class StageFailure(StageStatus status, string reason) : Exception(reason)
{
    public StageStatus Status { get; } = status;
}
