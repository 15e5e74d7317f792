namespace RecipeCi.Lifecycle;

/// <summary>
/// What the stages of a run found, by type: each stage's result record is kept under its type and
/// handed to the stages that declare it as their input. A stage that skipped itself records why,
/// so the stages that needed its result skip with the same reason.
/// </summary>
public sealed class StageOutputs
{
    private readonly Dictionary<Type, object> _found = [];
    private readonly Dictionary<Type, string> _skipped = [];

    public void Put(Type type, object value)
    {
        _found[type] = value;
        _skipped.Remove(type);
    }

    public void Put<T>(T value) where T : class => Put(typeof(T), value);

    public void Skipped(Type type, string why) => _skipped[type] = why;

    public T? TryGet<T>() where T : class => _found.GetValueOrDefault(typeof(T)) as T;

    /// <summary>Why the result of type <paramref name="type"/> is not there, or null when it is.</summary>
    public string? Missing(Type type) =>
        _found.ContainsKey(type) ? null
        : _skipped.TryGetValue(type, out var why) ? why
        : null;
}
