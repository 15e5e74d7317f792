namespace RecipeCi.Reaping;

/// <summary>
/// How long the janitor keeps what runs leave outside their run folders (<c>--retention-days</c>),
/// and its one age rule: a thing is pruned once its newest write is older than that.
/// </summary>
public sealed record Retention(TimeSpan Keep)
{
    public static Retention Default { get; } = new(TimeSpan.FromDays(14));

    public bool Expired(DateTimeOffset newestWrite, DateTimeOffset now) => now - newestWrite > Keep;
}
