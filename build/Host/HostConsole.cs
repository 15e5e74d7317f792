using Cake.Core;

namespace RecipeCi.Host;

/// <summary>
/// Cake's console with colour only where someone sees it. Cake decides colour from TERM alone, so
/// <c>./build.sh ... | cat</c> in an xterm wrote escape codes into the log. Here colour needs
/// stdout and stderr both on a terminal and no <c>NO_COLOR</c>; <c>FORCE_COLOR</c> (any value but
/// empty or 0) or <c>--color=always</c> asks for it in a pipe, <c>--color=never</c> turns it off.
/// </summary>
internal sealed class HostConsole(IConsole inner, bool colour, bool terminal) : IConsole
{
    public bool Colour => colour;

    /// <summary>The decision: the command line first, then NO_COLOR, then FORCE_COLOR, then the terminal.</summary>
    public static bool WantsColour(string? flag, Func<string, string?> env, bool terminal) => flag switch
    {
        "always" => true,
        "never" => false,
        _ => string.IsNullOrEmpty(env("NO_COLOR")) && (env("FORCE_COLOR") is { Length: > 0 } force && force != "0" || terminal),
    };

    public static HostConsole For(IConsole inner, string? flag)
    {
        var terminal = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        var colour = WantsColour(flag, Environment.GetEnvironmentVariable, terminal);
        // .NET writes the colours of Console.ForegroundColor into a pipe only when this is set.
        if (colour && !terminal) Environment.SetEnvironmentVariable("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION", "1");
        return new HostConsole(inner, colour, terminal);
    }

    /// <summary>
    /// Cake writes every information line in white on black, which a terminal shows as bold white
    /// on its own background: those stay in the terminal's own colours, so that only what means
    /// something (an error, a warning, the verdict) stands out.
    /// </summary>
    public ConsoleColor ForegroundColor
    {
        get => inner.ForegroundColor;
        set { if (colour && value != ConsoleColor.White) inner.ForegroundColor = value; }
    }

    public ConsoleColor BackgroundColor
    {
        get => inner.BackgroundColor;
        set { if (colour && value != ConsoleColor.Black) inner.BackgroundColor = value; }
    }

    /// <summary>On a terminal Cake's own detection stands; colour asked for in a pipe is written as escape codes.</summary>
    public bool SupportAnsiEscapeCodes => colour && (!terminal || inner.SupportAnsiEscapeCodes);

    public void Write(string format, params object[] arg) => inner.Write(format, arg);
    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);
    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);
    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);

    public void ResetColor()
    {
        if (colour) inner.ResetColor();
    }
}
