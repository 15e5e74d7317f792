using RecipeCi.Swarm;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RecipeCi.Naming;

/// <summary>
/// App domains and stack names. A domain is <c>&lt;recipe[:4]&gt;-&lt;6 hex of sha256(recipe|pr|ref)&gt;.&lt;suffix&gt;</c>:
/// runs of the same (recipe, pr, ref) share one domain, and so one lock; the stack is the domain
/// with dots as underscores, kept inside Docker's name limits.
/// </summary>
public static partial class AppNaming
{
    public const int MaxStackName = 45;     // abra truncates sanitised app names to 45 characters
    public const int MaxServiceName = 63;   // swarm service names
    public const int MaxSecretName = 64;    // swarm secret and config names

    public static string Domain(string recipe, string? pr, string? gitRef, string suffix)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{recipe}|{pr}|{gitRef}")))[..6];
        var prefix = new string(recipe.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(4).ToArray());
        return $"{prefix}-{hash}.{suffix.Trim('.')}";
    }

    /// <summary>
    /// The app domain a docker resource name belongs to, when it is a harness stack of that suffix
    /// (<c>&lt;prefix&gt;-&lt;6 hex&gt;_&lt;suffix&gt;</c>, alone or followed by <c>_&lt;name&gt;</c>); else null.
    /// </summary>
    public static string? DomainOfResource(string name, string suffix)
    {
        var head = HarnessHead().Match(name);
        if (!head.Success) return null;
        var domain = $"{head.Groups[1].Value}.{suffix.Trim('.')}";
        var stack = StackName(domain);
        return name == stack || new StackName(stack).Owns(name) ? domain : null;
    }

    [GeneratedRegex("^([a-z0-9]{1,4}-[0-9a-f]{6})_")]
    private static partial Regex HarnessHead();

    public static string StackName(string domain)
    {
        var stack = domain.Replace('.', '_');
        return stack.Length > MaxStackName ? stack[..MaxStackName] : stack;
    }

    /// <summary>Names in the stack that Docker would refuse, with the limit each breaks.</summary>
    /// <param name="named">Secrets and configs by their full name, with the word for their kind (<c>secret</c>, <c>config</c>).</param>
    public static IEnumerable<string> NameProblems(StackName stack, IEnumerable<string> services, IEnumerable<(string Kind, string Name)> named)
    {
        foreach (var name in services.Select(stack.Of))
            if (name.Length > MaxServiceName)
                yield return $"service name '{name}' is {name.Length} characters; swarm allows {MaxServiceName}";
        foreach (var (kind, name) in named)
            if (name.Length > MaxSecretName)
                yield return $"{kind} name '{name}' is {name.Length} characters; swarm allows {MaxSecretName}";
    }
}
