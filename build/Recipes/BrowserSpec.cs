using System.Runtime.Serialization;

namespace RecipeCi.Recipes;

/// <summary>Where a value typed into the page comes from.</summary>
public enum StepValueSource
{
    Literal,
    /// <summary><c>secret:NAME</c>: a secret the app's deploy generated.</summary>
    Secret,
    /// <summary><c>env:KEY</c>: a key of the app's env file.</summary>
    Env,
    /// <summary><c>check:NAME</c>: a value a dependency's provision hook gave only for the checks (<c>check NAME VALUE</c>).</summary>
    Check,
}

/// <summary>A value of a <c>fill</c> step: written as is, or named (<c>secret:NAME</c>, <c>env:KEY</c>, <c>check:NAME</c>) and resolved at run time.</summary>
public sealed record StepValue(StepValueSource Source, string Text)
{
    private static readonly StepValueSource[] Named = [StepValueSource.Secret, StepValueSource.Env, StepValueSource.Check];

    public static StepValue Parse(string written) =>
        Named.FirstOrDefault(s => written.StartsWith(Prefix(s), StringComparison.Ordinal)) is var source && source != StepValueSource.Literal
            ? new(source, written[Prefix(source).Length..])
            : new(StepValueSource.Literal, written);

    private static string Prefix(StepValueSource source) => source.ToString().ToLowerInvariant() + ":";

    /// <summary>As written: a named value is described by its name, never by what it resolves to.</summary>
    public override string ToString() => Source == StepValueSource.Literal ? Text : Prefix(Source) + Text;

    /// <summary>Why a named value has nothing to type: where it was looked for.</summary>
    public string Unknown() => Source switch
    {
        StepValueSource.Check => $"{this} names no check value a provision hook gave (check {Text} VALUE on its standard output)",
        _ => $"{this} names no {Source.ToString().ToLowerInvariant()} of the app",
    };
}

/// <summary>The actions of a browser check's steps, as checks.yaml spells them.</summary>
public enum BrowserAction
{
    [EnumMember(Value = "goto")] Goto,
    [EnumMember(Value = "fill")] Fill,
    [EnumMember(Value = "click")] Click,
    [EnumMember(Value = "expect_text")] ExpectText,
    [EnumMember(Value = "expect_url")] ExpectUrl,
    [EnumMember(Value = "expect_status")] ExpectStatus,
    [EnumMember(Value = "screenshot")] Screenshot,
    [EnumMember(Value = "wait_for")] WaitFor,
}

/// <summary>One step of a browser check, with the file and line it was written at and the time it may take.</summary>
public abstract record BrowserStep(string Origin, TimeSpan Timeout)
{
    public abstract BrowserAction Action { get; }
    public abstract string Describe();
}

/// <summary>Opens a path on the app's domain.</summary>
public sealed record GotoStep(string Origin, TimeSpan Timeout, string Path) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.Goto;
    public override string Describe() => $"goto {Path}";
}

/// <summary>Types a value into the first element a selector finds.</summary>
public sealed record FillStep(string Origin, TimeSpan Timeout, string Selector, StepValue Value) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.Fill;
    public override string Describe() => $"fill '{Selector}' with {(Value.Source == StepValueSource.Literal ? $"'{Value}'" : Value)}";
}

public sealed record ClickStep(string Origin, TimeSpan Timeout, string Selector) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.Click;
    public override string Describe() => $"click '{Selector}'";
}

/// <summary>Text that must appear on the page (or inside the elements a selector finds).</summary>
public sealed record ExpectTextStep(string Origin, TimeSpan Timeout, string Text, string? Selector) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.ExpectText;
    public override string Describe() => $"expect_text '{Text}'{(Selector is null ? "" : $" in '{Selector}'")}";
}

/// <summary>The page's path (and query, when given) must become this; a trailing <c>*</c> makes it a prefix.</summary>
public sealed record ExpectUrlStep(string Origin, TimeSpan Timeout, string Path) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.ExpectUrl;
    public override string Describe() => $"expect_url {Path}";
}

/// <summary>The HTTP status the page's last load answered with.</summary>
public sealed record ExpectStatusStep(string Origin, TimeSpan Timeout, int Status) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.ExpectStatus;
    public override string Describe() => $"expect_status {Status}";
}

/// <summary>A full-page screenshot kept as <c>&lt;Name&gt;.png</c> in the check's folder.</summary>
public sealed record ScreenshotStep(string Origin, TimeSpan Timeout, string Name) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.Screenshot;
    public override string Describe() => $"screenshot {Name}";
}

/// <summary>Waits until an element a selector finds is visible.</summary>
public sealed record WaitForStep(string Origin, TimeSpan Timeout, string Selector) : BrowserStep(Origin, Timeout)
{
    public override BrowserAction Action => BrowserAction.WaitFor;
    public override string Describe() => $"wait_for '{Selector}'";
}

/// <summary>Steps in a browser that reaches the app by its domain, over the route traefik would take.</summary>
public sealed record BrowserCheck(string Name, IReadOnlyList<BrowserStep> Steps) : CheckSpec(Name, "")
{
    /// <summary>A screenshot name the runner keeps for the page a failing step saw.</summary>
    public const string FailureScreenshot = "failure";

    public override string Describe() => $"browser, {Steps.Count} step(s): {string.Join(", ", Steps.Select(s => s.Describe()))}";
}
