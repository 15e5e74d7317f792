namespace RecipeCi.Host;

[AttributeUsage(AttributeTargets.Class)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependentOnAttribute(Type task) : Attribute
{
    public Type Task { get; } = task;
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    public Type Task { get; } = task;
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class ContinueOnErrorAttribute : Attribute;
